"""The snippets a clinic pastes: what the web person gets for each kind, and what bad input gets."""

import html.parser

import pytest
from frontdesk import snippets

LINK = "https://frontdesk.example/r/eyJhIjoxfQ.sig?lang=de&x=1"
SCRIPT = "https://frontdesk.example/embed.js"


class Elements(html.parser.HTMLParser):
    """The start tags of a piece of HTML with their attributes, as a browser would read them."""

    def __init__(self, text):
        super().__init__()
        self.found = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def first(self, tag):
        return next(attrs for found, attrs in self.found if found == tag)


def render(kind, **options):
    return snippets.render(kind, LINK, SCRIPT, "Request a service from Harbour Counselling", **options)


def test_the_plain_iframe_needs_no_script_and_names_the_form_for_screen_readers():
    elements = Elements(render("iframe"))
    assert [tag for tag, _ in elements.found] == ["iframe"]
    iframe = elements.first("iframe")
    assert iframe["src"] == LINK
    assert iframe["title"] == "Request a service from Harbour Counselling"


def test_the_inline_snippet_is_one_script_tag_with_a_link_for_browsers_without_javascript():
    elements = Elements(render("inline"))
    script = elements.first("script")
    assert script["src"] == SCRIPT and script["data-frontdesk"] == LINK
    assert "async" in script and "data-mode" not in script
    assert elements.first("a")["href"] == LINK


def test_the_popup_snippet_carries_its_label_and_colour():
    elements = Elements(render("popup", label="Book a first talk", color="#2E7D32"))
    script = elements.first("script")
    assert script["data-mode"] == "popup"
    assert script["data-label"] == "Book a first talk"
    assert script["data-color"] == "#2e7d32"
    assert elements.first("a")["href"] == LINK


def test_the_popup_button_is_labelled_and_coloured_even_when_nothing_was_chosen():
    script = Elements(render("popup")).first("script")
    assert script["data-label"] == "Request a service from Harbour Counselling"
    assert script["data-color"] == snippets.DEFAULT_COLOR


def test_the_link_for_emails_is_the_link_alone():
    assert render("link") == LINK


@pytest.mark.parametrize("kind", ["iframe", "inline", "popup"])
def test_a_clinic_name_with_quotes_and_brackets_stays_inside_its_attribute(kind):
    name = 'O\'Neil & "Partners" <Therapy>'
    text = snippets.render(kind, LINK, SCRIPT, name, label=name)
    elements = Elements(text)
    assert [tag for tag, _ in elements.found] == [tag for tag, _ in Elements(render(kind)).found]
    attrs = elements.found[0][1]
    assert attrs["title" if kind == "iframe" else "data-title"] == name
    assert "<Therapy>" not in text


def test_an_unknown_kind_or_a_colour_that_is_not_hex_is_refused():
    with pytest.raises(snippets.BadSnippet, match="iframe, inline, popup, link"):
        render("banner")
    for color in ("red", "#12345", "#1234567", "1f5fbf", "#1f5fbg"):
        with pytest.raises(snippets.BadSnippet):
            render("popup", color=color)

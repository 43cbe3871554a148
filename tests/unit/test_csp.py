"""Which websites may frame which client pages: the clinic's allowed websites as typed, and the CSP
frame-ancestors they become."""

import pytest
from frontdesk import framing


@pytest.mark.parametrize(
    "typed, origin",
    [
        ("https://www.harbour.example", "https://www.harbour.example"),
        ("  HTTPS://WWW.Harbour.Example/  ", "https://www.harbour.example"),
        ("https://harbour.example:443", "https://harbour.example"),
        ("http://harbour.example:80", "http://harbour.example"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("https://127.0.0.1:8443", "https://127.0.0.1:8443"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
    ],
)
def test_a_website_address_is_kept_as_its_origin(typed, origin):
    assert framing.parse_origin(typed) == origin


@pytest.mark.parametrize(
    "typed",
    [
        "www.harbour.example",  # no scheme
        "ftp://harbour.example",  # not a website
        "https://harbour.example/contact",  # a page, not a site
        "https://harbour.example/?a=1",
        "https://harbour.example#top",
        "https://user:secret@harbour.example",
        "https://harbour.example:99999",
        "https://*.harbour.example",
        "https://harbour.example; script-src *",  # would add a CSP directive of its own
        "https://harbour.example 'unsafe-inline'",
        "https://harbour..example",
        "https://",
        "*",
        "",
    ],
)
def test_anything_but_a_website_address_is_refused_with_a_reason(typed):
    with pytest.raises(framing.BadOrigin) as refused:
        framing.parse_origin(typed)
    assert str(refused.value)


def test_a_list_keeps_each_website_once_in_the_order_given_and_skips_blank_lines():
    lines = ["https://www.harbour.example", "", "https://blog.harbour.example", "https://WWW.harbour.example/"]
    assert framing.parse_origins(lines) == ["https://www.harbour.example", "https://blog.harbour.example"]


def test_one_bad_line_refuses_the_list():
    with pytest.raises(framing.BadOrigin, match="harbour.example/contact"):
        framing.parse_origins(["https://www.harbour.example", "https://harbour.example/contact"])


SITES = ["https://www.harbour.example", "http://localhost:8000"]


@pytest.mark.parametrize("path", ["/r/token", "/b/token", "/h/token"])
def test_forms_and_calendars_may_be_framed_by_the_listed_websites_and_the_settings_preview_only(path):
    assert framing.frame_ancestors(SITES, path) == "'self' https://www.harbour.example http://localhost:8000"


@pytest.mark.parametrize("path", ["/r/token", "/b/token", "/h/token"])
def test_forms_and_calendars_may_be_framed_anywhere_while_no_website_is_listed(path):
    assert framing.frame_ancestors([], path) == "*"


@pytest.mark.parametrize("path", ["/m/token", "/c/token"])
def test_managing_a_session_may_be_framed_by_the_listed_websites_and_this_server_only(path):
    assert framing.frame_ancestors(SITES, path) == "'self' https://www.harbour.example http://localhost:8000"
    assert framing.frame_ancestors([], path) == "'self'"

"""The snippets a clinic pastes into its website or its emails (DESIGN.md, "Embedding").

The templates live in embed_snippets/ so that they read as the HTML they are. `render` needs no app,
request or database, so the tests check exactly the text that the settings page and the
`frontdesk snippet` command show (through `embed`, which adds one of the clinic's pages).
Everything is escaped: a clinic's name cannot break out of an attribute on the clinic's own website.
"""

import re
from collections import namedtuple

from flask_babel import force_locale, gettext
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import package_data, urls

SNIPPETS_DIR = package_data.directory("embed_snippets")

# kind: its template in embed_snippets/
KINDS = {
    "iframe": "iframe.html",
    "inline": "inline.html",
    "popup": "popup.html",
    "link": "link.txt",
}

# Frontdesk's accent: the pages' --accent (server/static/css/base.css, which cannot import it), the buttons
# in emails, and the popup button's colour by default (widget/embed.js repeats it for a snippet without one).
DEFAULT_COLOR = "#1f5fbf"
HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")

_templates = Environment(
    loader=FileSystemLoader(SNIPPETS_DIR), autoescape=select_autoescape(["html"]), undefined=StrictUndefined
)


class BadSnippet(ValueError):
    """A snippet kind or colour that embed.js would not understand."""


def render(kind, link, script_url, title, label=None, color=None):
    """The snippet of `kind` for `link`: `title` names the form for screen readers (the iframe's title),
    `label` is the popup button's text (the title by default), `color` its colour as #rrggbb."""
    if kind not in KINDS:
        raise BadSnippet(f"unknown snippet kind {kind!r}; choose one of {', '.join(KINDS)}")
    if color is not None and not HEX_COLOR.fullmatch(color):
        raise BadSnippet(f"{color!r} is not a colour like {DEFAULT_COLOR}")
    if kind == "popup":
        color = color or DEFAULT_COLOR
    text = _templates.get_template(KINDS[kind]).render(
        link=link, script_url=script_url, title=title, label=label or title, color=(color or "").lower()
    )
    return text.strip()


class Page(namedtuple("Page", "link title label")):
    """A page of this server that a website can embed: its link, its accessible name (the iframe's
    title), and the popup button's text unless the clinic chooses its own; worded in the clinic's
    language, since the clinic's visitors read them."""


def request_form_page(clinic):
    with force_locale(clinic.default_language):
        return Page(
            urls.request_link(clinic),
            gettext("Request a service from %(clinic)s", clinic=clinic.name),
            gettext("Request a service"),
        )


def booking_page(professional):
    with force_locale(professional.clinic.default_language):
        return Page(
            urls.booking_link(professional),
            gettext("Book a session with %(name)s", name=professional.name),
            gettext("Book a session"),
        )


def hub_page(hub):
    with force_locale(hub.clinic.default_language):
        return Page(urls.hub_link(hub), hub.name, gettext("Book a session"))


def embed(kind, page, label=None, color=None):
    """The snippet of `kind` for `page`, loading embed.js from its stable address."""
    return render(kind, page.link, urls.external_url("embed_script"), page.title, label or page.label, color)


def request_form(kind, clinic, label=None, color=None):
    """The snippet of `kind` for the clinic's current request form (`frontdesk snippet KIND SLUG`)."""
    return embed(kind, request_form_page(clinic), label, color)

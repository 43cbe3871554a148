"""The request form in every shipped language, in a real browser: the page says which language and
direction it is in, no English interface text is left, Arabic lays out right to left on a phone, and
the language switcher keeps what the person typed. Screenshots: test-output/browser/lang-*.png."""

import os
import re

import pytest
from babel.messages.pofile import read_po
from frontdesk import urls
from frontdesk.language_choice import available_languages

from .conftest import PHONE

pytestmark = pytest.mark.browser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def english_interface_phrases():
    """Every English interface string of two words or more, placeholders cut out: none may show on a
    page in another language."""
    with open(os.path.join(ROOT, "locales", "messages.pot"), "rb") as f:
        catalog = read_po(f)
    phrases = set()
    for message in catalog:
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            for part in re.split(r"%\(\w+\)[sd]", msgid or ""):
                part = part.strip(" .,:;–-()")
                if len(part.split()) >= 2:
                    phrases.add(part)
    return phrases


LANGUAGES = [code for code in available_languages() if code != "en"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_form_is_wholly_in_each_language(browser_page, live_server, clinic, screenshot, lang):
    link = urls.request_link(clinic)
    browser_page.goto(f"{link}?lang={lang}")
    html = browser_page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    shown = browser_page.locator("body").inner_text()
    # The clinic's own texts (its name, its service) are the clinic's to translate, not ours.
    shown = shown.replace(clinic.name, "").replace("Initial consultation", "")
    left = sorted(p for p in english_interface_phrases() if p in shown)
    assert not left, f"English left on the {lang} page: {left[:5]}"
    screenshot(browser_page, f"lang-{lang}-desktop")


def test_arabic_mirrors_on_a_phone(chromium, live_server, clinic, screenshot):
    context = chromium.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    try:
        page.goto(urls.request_link(clinic))
        assert page.locator("html").get_attribute("dir") == "rtl"
        name = page.get_by_label("اسمك")
        label = page.locator("label[for=name]")
        # Right to left: the label starts at the right edge of the card, and nothing scrolls sideways.
        field, text = name.bounding_box(), label.bounding_box()
        assert abs((text["x"] + text["width"]) - (field["x"] + field["width"])) < 4
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert page.locator("body").evaluate("b => getComputedStyle(b).direction") == "rtl"
        screenshot(page, "lang-ar-phone")
    finally:
        context.close()


def test_the_switcher_keeps_what_was_typed(browser_page, live_server, clinic, screenshot):
    browser_page.goto(urls.request_link(clinic))
    browser_page.get_by_label("Your name").fill("Åsa Jónsdóttir")
    browser_page.get_by_label("Email").fill("asa@example.com")
    browser_page.get_by_role("button", name="Íslenska").click()
    assert browser_page.locator("html").get_attribute("lang") == "is"
    assert browser_page.locator("#name").input_value() == "Åsa Jónsdóttir"
    assert browser_page.locator("#email").input_value() == "asa@example.com"
    screenshot(browser_page, "lang-switched-to-is")

"""The popup embed: a button in the clinic's colours that opens the form in a dialog a keyboard user
can work in and leave, landing back on the button."""

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    expect = None

from frontdesk import snippets
from frontdesk.models import Request

from .conftest import DESKTOP, PHONE, settled_height

pytestmark = pytest.mark.browser

LABEL = "Book a first talk"


@pytest.fixture
def popup_page(website, clinic, visit):
    """The clinic's contact page with the popup snippet in dark green, open in a browser."""
    page = visit.page
    snippet = snippets.request_form("popup", clinic, label=LABEL, color="#1b5e20")
    page.goto(website.page(f'<section id="popup">{snippet}</section>'))
    return page


def assert_focus_in_the_dialog(page):
    """Focus is inside the open dialog (focus in the form shows on the website's side as the iframe
    having it). Focus crossing between the page and the form's frame, another process in Chromium,
    lands a moment after the key press, so this waits a little; focus that left stays gone."""
    page.wait_for_function("!!document.activeElement.closest('dialog[open]')", timeout=2000)


def test_the_button_wears_the_label_and_colour_from_the_snippet(popup_page):
    button = popup_page.get_by_role("button", name=LABEL)
    expect(button).to_have_css("background-color", "rgb(27, 94, 32)")
    expect(button).to_have_css("color", "rgb(255, 255, 255)")


def test_the_dialog_keeps_focus_inside_and_escape_returns_to_the_button(popup_page, screenshot):
    page = popup_page
    button = page.get_by_role("button", name=LABEL)
    button.click()
    dialog = page.get_by_role("dialog", name="Request a service from Harbour Counselling")
    expect(dialog).to_be_visible()
    frame = page.frame_locator("dialog iframe")
    expect(frame.get_by_role("heading", name="Request a service")).to_be_visible()
    settled_height(page, "dialog iframe")
    screenshot(page, "popup-open-desktop", full_page=False)
    assert_focus_in_the_dialog(page)

    for _ in range(12):
        page.keyboard.press("Tab")
        assert_focus_in_the_dialog(page)
    for _ in range(14):
        page.keyboard.press("Shift+Tab")
        assert_focus_in_the_dialog(page)

    # Escape pressed inside the form (a cross-origin frame) closes the dialog too.
    frame.get_by_label("Your name").click()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()


def test_the_close_button_and_escape_on_it_close_the_dialog(popup_page, screenshot):
    page = popup_page
    page.set_viewport_size(PHONE)
    button = page.get_by_role("button", name=LABEL)
    dialog = page.get_by_role("dialog")
    close = dialog.get_by_role("button", name="Close")

    button.click()
    expect(page.frame_locator("dialog iframe").get_by_role("heading", name="Request a service")).to_be_visible()
    settled_height(page, "dialog iframe")
    screenshot(page, "popup-open-phone", full_page=False)
    close.click()
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()

    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(close).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    page.set_viewport_size(DESKTOP)


def test_a_request_sent_from_the_popup_reaches_the_website(popup_page, screenshot):
    page = popup_page
    page.get_by_role("button", name=LABEL).click()
    frame = page.frame_locator("dialog iframe")
    frame.get_by_label("Your name").fill("Sam Rivera")
    frame.get_by_label("Email").fill("sam@example.com")
    frame.get_by_role("button", name="Send request").click()
    expect(frame.get_by_role("heading", name="Thank you, your request was sent")).to_be_visible()
    settled_height(page, "dialog iframe")
    screenshot(page, "popup-confirmation-desktop", full_page=False)
    request = Request.get()
    assert page.evaluate("window.heard") == [
        {"type": "frontdesk:submitted", "detail": {"id": str(request.id)}, "embed": "popup"}
    ]


def test_the_close_button_is_named_in_the_forms_language(website, clinic, visit):
    """The website's dialog is drawn by embed.js, which ships no translations: the form tells it the
    Close button's name in the language the form is shown in."""
    page = visit.page
    snippet = snippets.request_form("popup", clinic, label=LABEL).replace(
        "data-frontdesk=", 'data-lang="de" data-frontdesk=', 1
    )
    assert 'data-lang="de"' in snippet
    page.goto(website.page(f'<section id="popup">{snippet}</section>'))
    page.get_by_role("button", name=LABEL).click()
    dialog = page.get_by_role("dialog")
    expect(page.frame_locator("dialog iframe").get_by_role("heading", name="Leistung anfragen")).to_be_visible()
    expect(dialog.get_by_role("button", name="Schließen")).to_be_visible()
    dialog.get_by_role("button", name="Schließen").click()
    expect(dialog).to_be_hidden()

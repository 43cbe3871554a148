"""Settings → Client Access in a browser: the owner picks the popup button's text and colour, and the
preview shows the real embeds, even once the clinic has listed its own websites."""

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    expect = None

from frontdesk import urls
from frontdesk.models import Professional

from .conftest import settled_height

pytestmark = pytest.mark.browser


def open_client_access(page, live_server):
    """The owner signs in and opens Settings → Client Access, where the snippets and their preview are."""
    page.goto(live_server.url + "/workstation/login")
    page.get_by_label("Email").fill("owner@harbour.example")
    page.get_by_label("Password").fill("owner-password")
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/workstation/settings/client-access")


def test_the_owner_previews_the_button_and_the_form_they_are_about_to_paste(live_server, clinic, visit, screenshot):
    page = visit.page
    open_client_access(page, live_server)

    page.get_by_label("Allowed websites").fill("https://www.harbour.example")
    page.get_by_role("button", name="Save websites").click()
    expect(page.get_by_label("Allowed websites")).to_have_value("https://www.harbour.example")

    page.get_by_label("Button text").fill("Book a first talk")
    page.get_by_label("Button colour").fill("#1b5e20")
    page.get_by_role("button", name="Update snippets").click()
    expect(page.get_by_label("Button that opens it")).to_contain_text('data-label="Book a first talk"')

    preview = page.get_by_role("group", name="Preview")
    button = preview.get_by_role("button", name="Book a first talk")
    expect(button).to_have_css("background-color", "rgb(27, 94, 32)")
    preview.get_by_text("In your page").click()
    expect(
        page.frame_locator(".embed-preview details iframe").get_by_role("heading", name="Request a service")
    ).to_be_visible()
    settled_height(page, ".embed-preview details iframe")
    screenshot(page.locator("#embed"), "settings-snippets-and-preview")

    button.click()
    expect(page.frame_locator("dialog iframe").get_by_role("heading", name="Request a service")).to_be_visible()
    page.keyboard.press("Escape")
    expect(button).to_be_focused()


def test_the_owner_gets_snippets_for_their_booking_calendar_too(live_server, clinic, visit):
    page = visit.page
    open_client_access(page, live_server)

    page.get_by_label("Page to embed").select_option(label="Your booking calendar")
    page.get_by_role("button", name="Update snippets").click()
    link = page.get_by_label("Link for emails and social media").input_value()
    assert urls.booking_link(Professional.get(Professional.clinic == clinic)) == link
    expect(page.get_by_label("Plain frame")).to_contain_text('title="Book a session with Ada Byrne"')
    expect(page.get_by_role("group", name="Preview").get_by_role("button", name="Book a session")).to_be_visible()

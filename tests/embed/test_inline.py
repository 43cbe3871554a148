"""The inline embed on a clinic's own website: the form sits in the page as tall as it is, whatever it
shows, and the page hears when a request was sent."""

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    expect = None

from frontdesk import clinics, snippets, urls
from frontdesk.models import Clinic, Request

from .conftest import PHONE, frame_of, settled_height

pytestmark = pytest.mark.browser


def section(name, html):
    return f'<section id="{name}">{html}</section>'


def assert_fits(page, selector="iframe"):
    """The iframe is as tall as its document, within a few pixels, and the form never scrolls inside it."""
    iframe_height, document_height = settled_height(page, selector)
    assert abs(iframe_height - document_height) <= 3, (iframe_height, document_height)
    root = "document.documentElement"
    assert frame_of(page, selector).evaluate(
        f"{root}.scrollHeight <= {root}.clientHeight && {root}.scrollWidth <= {root}.clientWidth"
    )
    return iframe_height


def send_request(frame, name="Sam Rivera", email="sam@example.com"):
    frame.get_by_label("Your name").fill(name)
    frame.get_by_label("Email").fill(email)
    frame.get_by_role("button", name="Send request").click()


def test_the_inline_form_grows_with_its_errors_and_shrinks_to_its_confirmation(website, clinic, visit, screenshot):
    page = visit.page
    page.goto(website.page(section("form", snippets.request_form("inline", clinic))))
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Request a service")).to_be_visible()
    form_height = assert_fits(page)
    screenshot(page, "inline-form-desktop")

    frame.get_by_role("button", name="Send request").click()
    expect(frame.get_by_role("alert")).to_be_visible()
    error_height = assert_fits(page)
    assert error_height > form_height

    page.set_viewport_size(PHONE)
    phone_height = assert_fits(page)
    assert phone_height > error_height
    screenshot(page, "inline-form-errors-phone")

    send_request(frame)
    expect(frame.get_by_role("heading", name="Thank you, your request was sent")).to_be_visible()
    assert assert_fits(page) < phone_height
    screenshot(page, "inline-confirmation-phone")

    request = Request.get()
    assert page.evaluate("window.heard") == [
        {"type": "frontdesk:submitted", "detail": {"id": str(request.id)}, "embed": "form"}
    ]


def test_the_website_can_fill_in_name_and_email_and_give_the_form_its_colour(live_server, website, clinic, visit):
    link = urls.request_link(clinic)
    page = visit.page
    page.goto(
        website.page(
            section(
                "form",
                (
                    f'<div data-frontdesk="{link}" data-name="Sam Rivera" data-email="sam@example.com"'
                    ' data-color="#2e7d32"'
                    ' data-title="Request a service"></div>'
                    f'<script src="{live_server.url}/embed.js" async></script>'
                ),
            )
        )
    )
    frame = page.frame_locator("iframe")
    expect(frame.get_by_label("Your name")).to_have_value("Sam Rivera")
    expect(frame.get_by_label("Email")).to_have_value("sam@example.com")
    expect(frame.get_by_role("button", name="Send request")).to_have_css("background-color", "rgb(46, 125, 50)")
    expect(page.get_by_title("Request a service")).to_be_visible()


def test_a_colour_too_light_to_read_on_white_leaves_the_form_its_own(live_server, website, clinic, visit):
    link = urls.request_link(clinic)
    page = visit.page
    page.goto(
        website.page(
            section(
                "form",
                (
                    f'<div data-frontdesk="{link}" data-color="#f9a825" data-title="Request a service"></div>'
                    f'<script src="{live_server.url}/embed.js" async></script>'
                ),
            )
        )
    )
    send = page.frame_locator("iframe").get_by_role("button", name="Send request")
    expect(send).to_have_css("background-color", "rgb(31, 95, 191)")
    expect(send).to_have_css("color", "rgb(255, 255, 255)")


def test_two_embeds_on_one_page_each_size_themselves_and_report_to_their_own_element(
    website, clinic, other_clinic, visit
):
    """The same page pastes three snippets (so embed.js three times): two forms and a popup button."""
    page = visit.page
    page.goto(
        website.page(
            section("first", snippets.request_form("inline", clinic))
            + section("second", snippets.request_form("inline", other_clinic))
            + section("third", snippets.request_form("popup", clinic))
        )
    )
    first, second = "#first iframe", "#second iframe"
    expect(page.frame_locator(first).get_by_text(clinic.name, exact=True)).to_be_visible()
    expect(page.frame_locator(second).get_by_text(other_clinic.name, exact=True)).to_be_visible()
    expect(page.locator("#third").get_by_role("button", name="Request a service")).to_be_visible()
    assert page.locator("iframe").count() == 2

    page.frame_locator(second).get_by_role("button", name="Send request").click()
    expect(page.frame_locator(second).get_by_role("alert")).to_be_visible()
    taller = assert_fits(page, second)
    assert taller > assert_fits(page, first)

    send_request(page.frame_locator(second))
    expect(page.frame_locator(second).get_by_role("heading", name="Thank you, your request was sent")).to_be_visible()
    request = Request.get(Request.clinic == other_clinic)
    assert page.evaluate("window.heard") == [
        {"type": "frontdesk:submitted", "detail": {"id": str(request.id)}, "embed": "second"}
    ]
    # window's own numbered keys are its frames, not globals.
    new_globals = page.evaluate("Object.keys(window).filter(k => isNaN(k) && !window.globalsBefore.includes(k))")
    assert set(new_globals) - {"globalsBefore"} == {"Frontdesk"}


@pytest.mark.parametrize(
    "attributes, problem",
    [
        ('data-mode="banner"', "data-mode"),
        ('data-color="blue"', "data-color"),
        ('data-lang="English please"', "data-lang"),
    ],
)
def test_a_mistyped_snippet_shows_a_plain_link_to_the_form_and_says_why_in_the_console(
    live_server, website, clinic, visit, attributes, problem
):
    link = urls.request_link(clinic)
    page = visit.page
    page.goto(
        website.page(
            section(
                "form",
                (
                    f'<script src="{live_server.url}/embed.js" data-frontdesk="{link}" {attributes} '
                    'data-label="Ask for an appointment" async></script>'
                ),
            )
        )
    )
    expect(page.get_by_role("link", name="Ask for an appointment")).to_have_attribute("href", link)
    assert page.locator("iframe").count() == 0
    assert any(problem in warning for warning in visit.warnings()), visit.console


def test_a_snippet_without_a_usable_link_warns_and_leaves_the_page_as_it_was(live_server, website, visit):
    page = visit.page
    page.goto(
        website.page(
            section(
                "form",
                (
                    f'<script src="{live_server.url}/embed.js" data-frontdesk="javascript:alert(1)" async></script>'
                    "<p>Call us on 020 7946 0958.</p>"
                ),
            )
        )
    )
    expect(page.get_by_text("Call us on 020 7946 0958.")).to_be_visible()
    page.wait_for_function("window.Frontdesk")
    assert page.locator("#form iframe, #form a, #form button").count() == 0
    assert any("data-frontdesk" in warning for warning in visit.warnings()), visit.console


def test_a_replaced_link_says_so_inside_the_website_and_still_fits(website, clinic, visit):
    """The clinic rotated its link but the website still has the old snippet."""
    old_snippet = snippets.request_form("inline", clinic)
    clinics.rotate_request_link(Clinic.get_by_id(clinic.id))
    page = visit.page
    page.goto(website.page(section("form", old_snippet)))
    expect(page.frame_locator("iframe").get_by_role("heading", name="This link was replaced")).to_be_visible()
    assert assert_fits(page) < 600

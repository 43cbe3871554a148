"""Who may frame the forms, who may talk to them, and that they need no cookie to work."""

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    expect = None

from frontdesk import snippets, urls
from frontdesk.models import Clinic, Request

from .conftest import BLOCK_THIRD_PARTY_COOKIES, DESKTOP, Visit, frame_of, launch_chromium, settled_height

pytestmark = pytest.mark.browser


def list_websites(clinic, *origins):
    Clinic.update(allowed_origins=list(origins)).where(Clinic.id == clinic.id).execute()


def test_a_website_the_clinic_did_not_list_cannot_frame_its_form(website, stranger_website, clinic, visit):
    list_websites(clinic, website.origin)
    snippet = snippets.request_form("iframe", clinic)
    page = visit.page

    page.goto(website.page(snippet))
    expect(page.frame_locator("iframe").get_by_role("heading", name="Request a service")).to_be_visible()

    with page.expect_console_message(lambda message: "frame-ancestors" in message.text):
        page.goto(stranger_website.page(snippet))
    expect(page.frame_locator("iframe").get_by_role("heading")).to_have_count(0)
    assert urls.request_link(clinic) not in frame_of(page).url


def test_messages_from_other_windows_are_ignored(live_server, website, stranger_website, clinic, visit):
    """A stranger's frame on the same page, and the page itself, post look-alike messages: the form's
    iframe keeps its size and the page hears no event."""
    stranger = stranger_website.page("<p>An advert</p>", path="/advert.html")
    page = visit.page
    page.goto(
        website.page(
            f'<section id="form">{snippets.request_form("inline", clinic)}</section>'
            f'<section id="advert"><iframe id="stranger" title="Advert" src="{stranger}"></iframe></section>'
        )
    )
    expect(page.frame_locator("#form iframe").get_by_role("heading", name="Request a service")).to_be_visible()
    height, _ = settled_height(page, "#form iframe")

    forged = (
        "for (const m of [{source: 'frontdesk', type: 'resize', height: 5},"
        " {source: 'frontdesk', type: 'submitted', id: '1'}, {source: 'frontdesk', type: 'close'}])"
        " parent.postMessage(m, '*')"
    )
    frame_of(page, "#stranger").evaluate(forged)
    page.evaluate(forged.replace("parent.", "window."))
    page.wait_for_function("window.messages.filter(m => m.height === 5).length === 2")

    assert page.locator("#form iframe").evaluate("f => f.getBoundingClientRect().height") == height
    assert page.evaluate("window.heard") == []


@pytest.mark.parametrize("query", ["", "?origin=http://evil.example"])
def test_the_form_tells_nothing_to_a_page_that_did_not_frame_it_through_embed_js(website, clinic, visit, query):
    """The plain iframe (no origin given) and an iframe claiming someone else's origin hear nothing,
    not even when a request is sent."""
    link = urls.request_link(clinic) + query
    page = visit.page
    page.goto(website.page(f'<iframe title="Request a service" src="{link}" style="width:100%;height:900px"></iframe>'))
    frame = page.frame_locator("iframe")
    frame.get_by_label("Your name").fill("Sam Rivera")
    frame.get_by_label("Email").fill("sam@example.com")
    frame.get_by_role("button", name="Send request").click()
    expect(frame.get_by_role("heading", name="Thank you, your request was sent")).to_be_visible()
    assert page.evaluate("window.messages") == []


@pytest.fixture(scope="module")
def cookieless_chromium(playwright):
    """A Chromium that blocks third-party cookies, as browsers increasingly do by default."""
    browser = launch_chromium(playwright, [BLOCK_THIRD_PARTY_COOKIES])
    yield browser
    browser.close()


def test_a_request_goes_through_when_the_browser_blocks_third_party_cookies(
    live_server, website, clinic, cookieless_chromium
):
    context = cookieless_chromium.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    try:
        visit = Visit(context)
        page = visit.page
        set_cookie = []

        def record(response):
            if response.url.startswith(live_server.url):
                set_cookie.extend(h for h in response.headers_array() if h["name"].lower() == "set-cookie")

        page.on("response", record)
        page.goto(website.page(f'<section id="form">{snippets.request_form("inline", clinic)}</section>'))
        frame = page.frame_locator("iframe")
        expect(frame.get_by_role("heading", name="Request a service")).to_be_visible()
        # The browser really refuses the frame a cookie of its own.
        assert frame_of(page).evaluate("document.cookie = 'probe=1; SameSite=None'; document.cookie") == ""

        frame.get_by_label("Your name").fill("Sam Rivera")
        frame.get_by_label("Email").fill("sam@example.com")
        frame.get_by_role("button", name="Send request").click()
        expect(frame.get_by_role("heading", name="Thank you, your request was sent")).to_be_visible()
        assert Request.select().count() == 1
        assert set_cookie == []
        assert page.evaluate("window.heard.map(e => e.type)") == ["frontdesk:submitted"]
    finally:
        context.close()

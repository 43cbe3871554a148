"""Calendar sync in, in a real browser: the professional adds two external calendars on Availability (one
that answers, one that fails), the worker reads them, and the page shows each masked with how its last read
went; the week grid shows the busy time. On a phone and a desktop, in English and in Arabic (right to left);
screenshots go to test-output/browser/sync-*.png for people to look at."""

import datetime as dt

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    expect = None

from tests.app.booking_fixtures import local_start, owner_of
from tests.app.conftest import local_today
from tests.app.test_external_calendars import busy_event, feeds, ics, sync  # noqa: F401 (feeds: a fixture)

from .conftest import DESKTOP, PHONE
from .test_booking_management import sign_in

pytestmark = pytest.mark.browser


def test_adding_external_calendars_and_seeing_their_state(app, chromium, live_server, clinic, feeds, screenshot):  # noqa: F811
    ten = local_start(clinic, 2, 10)
    feeds.serve("/calendar/ical/ada/private-5f3a9c/basic.ics", ics(busy_event("dentist", ten)))
    feeds.serve("/outlook/gone.ics", b"gone", status=404)
    desk, page = sign_in(chromium, live_server)
    try:
        page.goto(live_server("/workstation/settings/availability"))
        for added, (address, name) in enumerate(
            [("/calendar/ical/ada/private-5f3a9c/basic.ics", "Personal"), ("/outlook/gone.ics", "Hospital rota")], 1
        ):
            page.get_by_label("Calendar address (iCalendar)").fill(feeds.url(address))
            page.get_by_label("Name (optional)").fill(name)
            button = page.get_by_role("button", name="Add calendar")
            button.focus()
            assert button.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
            page.keyboard.press("Enter")
            # The page after the POST, not the one before it (whose status said the same for the first calendar).
            expect(page.locator(".external-calendars li")).to_have_count(added)
            expect(page.get_by_role("status").first).to_contain_text("Your calendar was added.")
        assert sync(app) == (1, 1)

        page.reload()
        calendars = page.locator(".external-calendars li")
        expect(calendars).to_have_count(2)
        expect(calendars.nth(0)).to_contain_text("Personal")
        expect(calendars.nth(0)).to_contain_text("Last read")
        expect(calendars.nth(1)).to_contain_text("The calendar's website answered with an error (HTTP 404).")
        assert "private-5f3a9c" not in page.content()

        day = (local_today(clinic) + dt.timedelta(days=2)).isoformat()
        pages = [
            ("sync-01-availability", "/workstation/settings/availability#calendars"),
            ("sync-02-week", f"/workstation/sessions?day={day}&who={owner_of(clinic).id}"),
        ]
        for lang in ("en", "ar"):
            for name, path in pages:
                for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
                    page.set_viewport_size(size)
                    address, _, anchor = path.partition("#")
                    join = "&" if "?" in address else "?"
                    page.goto(live_server(f"{address}{join}lang={lang}" + (f"#{anchor}" if anchor else "")))
                    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
                    if name == "sync-01-availability":
                        page.locator("#calendars").scroll_into_view_if_needed()
                        screenshot(page.locator("#calendars"), f"{name}-{lang}-{label}")
                    else:
                        expect(page.locator(".block-busy").first).to_be_visible()
                        screenshot(page, f"{name}-{lang}-{label}")
                    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "nothing overflows"
    finally:
        desk.close()

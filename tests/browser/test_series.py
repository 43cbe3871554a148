"""A weekly series in a real browser (issue 14): booked from the client's page across the clocks going forward,
previewed first, then one occurrence cancelled and seen struck through in the week grid, still at 09:00 on both
sides of the change. Screenshots (390 px and 1,280 px) go to test-output/browser/series-*.png."""

import datetime as dt

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    expect = None

from frontdesk.models import Appointment

from tests.app.booking_fixtures import make_client
from tests.app.conftest import next_spring_forward

from .conftest import DESKTOP, PHONE
from .test_accessibility_everywhere import serious
from .test_booking_management import sign_in

pytestmark = pytest.mark.browser


def test_a_weekly_series_across_the_clocks_changing_and_one_cancelled(chromium, live_server, clinic, screenshot):
    kim = make_client(clinic)
    change = next_spring_forward()  # a Sunday: London goes from GMT to British Summer Time
    first = change - dt.timedelta(days=5)  # the Tuesday before
    after = first + dt.timedelta(weeks=1)
    desk, page = sign_in(chromium, live_server)
    try:
        page.goto(live_server(f"/workstation/clients/{kim.id}"))
        series = page.locator("section", has=page.get_by_role("heading", name="Book a weekly series"))
        series.get_by_label("Service").select_option(index=1)
        series.get_by_label("First session").fill(first.isoformat())
        series.get_by_label("Time").fill("09:00")
        series.get_by_label("Repeat").select_option(label="Every week")
        series.get_by_label("After a number of sessions").check()
        series.get_by_label("Number of sessions", exact=True).fill("3")
        for size, label in ((PHONE, "390"), (DESKTOP, "1280")):
            page.set_viewport_size(size)
            screenshot(series, f"series-1-form-{label}")
        series.get_by_role("button", name="Show the dates").click()

        expect(page.get_by_role("heading", name="Weekly series for Kim Lee")).to_be_visible()
        rows = page.locator("tbody tr")
        expect(rows).to_have_count(3)
        for n in range(3):
            expect(rows.nth(n)).to_contain_text("Free")
            expect(page.get_by_label(f"Session {n + 1}", exact=True)).to_be_checked()
        expect(page.get_by_label("Date of session 2")).to_have_value(after.isoformat())
        for size, label in ((PHONE, "390"), (DESKTOP, "1280")):
            page.set_viewport_size(size)
            screenshot(page, f"series-2-preview-{label}")
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "nothing scrolls sideways"
            assert serious(page) == [], "axe finds no serious or critical issue in the preview"
        page.get_by_role("button", name="Book the ticked sessions").click()
        expect(page.get_by_role("status")).to_contain_text("3 sessions of the series are booked")

        # Both sides of the change: 09:00 on the wall clock, 09:00 and then 08:00 UTC.
        sessions = list(Appointment.select().where(Appointment.client == kim).order_by(Appointment.starts_at))
        assert [s.starts_at.hour for s in sessions] == [9, 8, 8]

        week = live_server(f"/workstation/sessions?day={after.isoformat()}")
        page.goto(week)
        block = page.locator(f'td[data-day="{after.isoformat()}"] a.block')
        expect(block).to_contain_text("09:00")
        expect(block).to_contain_text("Series")
        block.click()
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Cancel this session").click()
        expect(page.get_by_role("status")).to_contain_text("The session is cancelled")

        page.goto(week)
        cancelled = page.locator(f'td[data-day="{after.isoformat()}"] a.block-cancelled')
        expect(cancelled).to_contain_text("Kim Lee")
        expect(cancelled).to_contain_text("Series")
        assert "line-through" in cancelled.locator(".block-client").evaluate(
            "e => getComputedStyle(e).textDecorationLine"
        )
        for size, label in ((PHONE, "390"), (DESKTOP, "1280")):
            page.set_viewport_size(size)
            page.goto(week)
            screenshot(page, f"series-3-week-cancelled-{label}")
        # Right to left: the client's page with its series marks and the series form, on a phone.
        page.set_viewport_size(PHONE)
        page.goto(live_server(f"/workstation/clients/{kim.id}?lang=ar"))
        assert page.locator("html").get_attribute("dir") == "rtl"
        expect(page.locator("td .tag").first).to_have_text("سلسلة")
        screenshot(page, "series-4-client-ar-390")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        page.set_viewport_size(DESKTOP)
        page.goto(live_server(f"/workstation/sessions?day={(after + dt.timedelta(weeks=1)).isoformat()}&lang=en"))
        expect(page.locator("a.block-booked")).to_contain_text("09:00")
        assert [s.status for s in Appointment.select().order_by(Appointment.starts_at)] == [
            "booked",
            "cancelled",
            "booked",
        ]
    finally:
        desk.close()

"""The calendar in a real browser: the week grid with two professionals' sessions (one cancelled), the day
view side by side, the month, booking from an empty hour, Settings → Calendar and the client's reminder
switch; on a phone and a desktop, in English and in Arabic (right to left). Screenshots go to
test-output/browser/cal-*.png for people to look at."""

import datetime as dt

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    expect = None

from frontdesk import urls
from frontdesk.models import Client

from tests.app.booking_fixtures import make_client, owner_of
from tests.app.test_booking_management_workstation import session_at
from tests.conftest import add_professional

from .conftest import DESKTOP, PHONE
from .test_booking_management import sign_in

pytestmark = pytest.mark.browser


def next_weekday(weekday):
    today = dt.date.today()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7)


def test_the_week_grid_day_month_and_settings(chromium, live_server, clinic, screenshot):
    ben = add_professional(clinic, "ben@harbour.example", name="Ben Okafor")
    tuesday = next_weekday(1)
    session_at(clinic, tuesday, 9)
    session_at(clinic, tuesday, 11, status="cancelled", client=make_client(clinic, "noor@example.com", "Noor Haddad"))
    session_at(clinic, tuesday, 9, professional=ben, client=make_client(clinic, "jonas@example.com", "Jonas Berg"))
    session_at(
        clinic, tuesday + dt.timedelta(days=2), 15, professional=ben, client=Client.get(Client.name == "Jonas Berg")
    )

    desk, pro = sign_in(chromium, live_server)
    try:
        week = live_server(f"/workstation/sessions?day={tuesday.isoformat()}")
        pro.goto(week)
        grid = pro.get_by_role("table")
        expect(grid.get_by_role("columnheader").first).to_be_visible()
        cancelled = pro.locator("a.block-cancelled")
        expect(cancelled).to_contain_text("Noor Haddad")
        assert "line-through" in cancelled.locator(".block-client").evaluate(
            "e => getComputedStyle(e).textDecorationLine"
        )

        # Keyboard: an empty hour is a link that says what it books, and shows it has focus.
        free = pro.get_by_role("link", name="Book").first
        free.focus()
        assert free.evaluate("e => getComputedStyle(e).outlineStyle") != "none"

        pages = [
            ("cal-10-week", f"/workstation/sessions?day={tuesday.isoformat()}"),
            ("cal-11-day-everyone", f"/workstation/sessions?view=day&day={tuesday.isoformat()}"),
            ("cal-12-month", f"/workstation/sessions?view=month&day={tuesday.isoformat()}"),
            ("cal-13-settings", "/workstation/settings/calendar"),
        ]
        for lang in ("en", "ar"):
            for name, path in pages:
                for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
                    pro.set_viewport_size(size)
                    pro.goto(live_server(f"{path}{'&' if '?' in path else '?'}lang={lang}"))
                    assert pro.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
                    screenshot(pro, f"{name}-{lang}-{label}")
                    assert pro.evaluate("document.documentElement.scrollWidth <= innerWidth"), "only the grid scrolls"

        # On a phone the week shows a day at a time: one day column fits, the next is a swipe away.
        pro.set_viewport_size(PHONE)
        pro.goto(week)
        first_day = pro.locator("thead th.calendar-day").first.bounding_box()
        assert first_day["width"] > PHONE["width"] / 2

        # Booking from an empty hour: the client's booking form opens with that time.
        pro.set_viewport_size(DESKTOP)
        pro.goto(week)
        pro.locator(f'td[data-day="{tuesday.isoformat()}"][data-hour="14"] a.free').click()
        pro.get_by_role("link", name="Kim Lee").click()
        booking_form = pro.get_by_role("region", name="Book a session")  # not the weekly series' form below it
        expect(booking_form.get_by_label("Time")).to_have_value("14:00")
        expect(booking_form.get_by_label("Date")).to_have_value(tuesday.isoformat())
    finally:
        desk.close()


def test_a_client_turns_reminders_off_on_a_phone(chromium, live_server, clinic, screenshot):
    kim = make_client(clinic)
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        for lang in ("en", "ar"):
            page.goto(urls.dashboard_link(Client.get_by_id(kim.id)) + f"?lang={lang}")
            screenshot(page, f"cal-20-dashboard-reminders-{lang}-phone")
        page.goto(urls.dashboard_link(kim))
        page.get_by_role("button", name="Turn reminder emails off").click()
        expect(page.get_by_role("status")).to_contain_text("Your choice is saved.")
        expect(page.get_by_role("button", name="Turn reminder emails on")).to_be_visible()
        assert Client.get_by_id(kim.id).reminders is False
        assert owner_of(clinic)  # the clinic is untouched by the client's choice
    finally:
        context.close()

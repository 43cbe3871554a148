"""Booking management (issue 3) in a real browser: a client moves a Wellbeing Hub session from the
manage link inside an iframe on the clinic's own website (another origin), and the professional's
calendar then shows the old session struck through and the new one as booked. Screenshots of every
page of the issue, on a phone and a desktop, go to test-output/browser/bm-*.png for people to look at.
"""

import datetime as dt
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    expect = None

from frontdesk import appointments, booking, urls
from frontdesk.models import Appointment, Clinic, Service
from frontdesk.states import Actor

from tests.app.booking_fixtures import fresh, local, local_start, make_client, make_session, owner_of, service_of
from tests.app.offered_slots import offer_hours
from tests.conftest import outbox

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

OWNER_EMAIL = "owner@harbour.example"
FRAME = "iframe[title='Manage your session']"


def book(clinic, days, hour, channel, client=None, **fields):
    """A session booked as the app books one (with its confirmation emails), by the professional: a client
    may only book an offered slot, and these times are chosen by the test."""
    owner = owner_of(clinic)
    return appointments.book(
        clinic,
        owner,
        client or make_client(clinic),
        service_of(clinic),
        local_start(clinic, days, hour),
        50,
        booked_by=owner,
        channel=channel,
        **fields,
    )


def sign_in(browser, live_server):
    """The professional at their own desk: another browser profile, signed in to the workstation."""
    desk = browser.new_context(viewport=DESKTOP, locale="en-GB")
    desk.set_default_timeout(10_000)
    page = desk.new_page()
    page.goto(live_server("/workstation/login"))
    page.get_by_label("Email").fill(OWNER_EMAIL)
    page.get_by_label("Password").fill("owner-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Requests")).to_be_visible()
    return desk, page


def framed_manage_page(clinic, host_site, appointment):
    """The clinic lists its website (manage pages may be framed only by listed sites) and a page of
    that website frames the session's manage link; returns the page's address."""
    Clinic.update(allowed_origins=[host_site.origin]).where(Clinic.id == clinic.id).execute()
    return host_site.embed(urls.manage_link(appointment), "my-session", frame_title="Manage your session")


def text_decoration(locator):
    return locator.evaluate("element => getComputedStyle(element).textDecorationLine")


def test_a_client_reschedules_a_hub_session_in_a_frame_and_the_calendar_strikes_the_old_one(
    app, live_server, host_site, clinic, hub, chromium, browser_page, screenshot
):
    session = book(clinic, 3, 10, "hub", hub=hub)
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(framed_manage_page(clinic, host_site, session))
    assert host_site.origin != live_server.url
    frame = page.frame_locator(FRAME)
    expect(frame.get_by_role("heading", name="Your session")).to_be_visible()
    expect(frame.get_by_text("Initial consultation")).to_be_visible()
    screenshot(page, "bm-01-manage-hub-framed-phone", full_page=False)
    page.set_viewport_size(DESKTOP)
    screenshot(page, "bm-01-manage-hub-framed-desktop", full_page=False)

    frame.get_by_role("link", name="Reschedule").click()
    expect(frame.get_by_role("heading", name="Choose a new time")).to_be_visible()
    screenshot(page, "bm-02-reschedule-slots-framed-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "bm-02-reschedule-slots-framed-phone")
    new_start = booking.local_to_utc(local(session.starts_at, clinic).date(), dt.time(14), clinic.timezone)
    slot = frame.locator(f"button.slot[value='{new_start.isoformat()}']")
    slot.focus()
    expect(slot).to_be_focused()
    screenshot(slot.locator("xpath=ancestor::fieldset"), "bm-02-reschedule-slot-focused")
    slot.press("Enter")  # a keyboard user chooses a time the same way
    # The tap only shows what would change; the move waits for one confirmation.
    expect(frame.get_by_role("heading", name="Move your session?")).to_be_focused()
    assert Appointment.get_by_id(session.id).status == "booked"
    screenshot(page, "bm-02-reschedule-confirm-framed-phone")
    frame.get_by_role("button", name="Yes, move the session").click()
    moved_heading = frame.get_by_role("heading", name="Your session was rescheduled")
    # The answer has focus, which also scrolls the clinic's page up to it from where the slot was.
    expect(moved_heading).to_be_focused()
    assert page.evaluate("window.scrollY") < 300
    expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()  # still on the clinic's page
    screenshot(page, "bm-03-rescheduled-framed-phone", full_page=False)

    old = fresh(session)
    moved = Appointment.get(Appointment.starts_at == new_start)
    assert (old.status, old.cancel_reason, old.rescheduled_to_id) == ("cancelled", "rescheduled", moved.id)
    assert (moved.status, moved.channel, moved.hub_id) == ("booked", "hub", hub.id)
    assert sorted((m.to_address, m.ics_method) for m in outbox()[2:]) == [
        ("kim@example.com", "CANCEL"),
        ("kim@example.com", "REQUEST"),
        (OWNER_EMAIL, "CANCEL"),
        (OWNER_EMAIL, "REQUEST"),
    ]

    desk, pro = sign_in(chromium, live_server)
    try:
        pro.goto(live_server(f"/workstation/sessions?day={local(old.starts_at, clinic).date().isoformat()}"))
        old_block = pro.locator(f"a.block[href='/workstation/sessions/{old.id}']")
        new_block = pro.locator(f"a.block[href='/workstation/sessions/{moved.id}']")
        expect(old_block).to_have_class(re.compile(r"\bblock-cancelled\b"))
        expect(new_block).to_have_class(re.compile(r"\bblock-booked\b"))
        assert "line-through" in text_decoration(old_block)
        assert "line-through" not in text_decoration(new_block)
        assert "line-through" not in text_decoration(new_block.locator(".block-client"))
        screenshot(pro, "bm-10-calendar-week-desktop")

        old_block.click()
        expect(pro.get_by_role("heading", name="Session with Kim Lee")).to_be_visible()
        expect(pro.get_by_role("link", name=re.compile("14:00"))).to_be_visible()  # a UK clinic reads 24-hour times
        screenshot(pro, "bm-12-session-detail-moved-desktop")
    finally:
        desk.close()


def test_a_non_hub_session_offers_no_reschedule_and_says_why(
    app, live_server, host_site, clinic, browser_page, screenshot
):
    Clinic.update(policy_hours=48).where(Clinic.id == clinic.id).execute()
    session = book(clinic, 1, 15, "request")
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(framed_manage_page(clinic, host_site, session))
    frame = page.frame_locator(FRAME)
    expect(frame.get_by_role("link", name="Cancel session")).to_be_visible()
    expect(frame.get_by_role("link", name="Reschedule")).to_have_count(0)
    expect(frame.get_by_text("only sessions booked through a Wellbeing Hub can be rescheduled")).to_be_visible()
    screenshot(page, "bm-04-manage-not-hub-framed-phone", full_page=False)

    frame.get_by_role("link", name="Cancel session").click()
    expect(frame.get_by_role("heading", name="Cancel your session?")).to_be_visible()
    expect(
        frame.get_by_text(
            "Please be aware that a modification penalty may apply depending on the professional's Terms & Conditions."
        )
    ).to_be_visible()
    expect(frame.get_by_text("This is a late cancellation.")).to_be_visible()
    screenshot(page, "bm-05-cancel-warnings-framed-phone", full_page=False)


def test_every_page_of_the_issue_on_a_phone_and_a_desktop(
    request, app, live_server, clinic, hub, chromium, browser_page, screenshot
):
    """Screenshots only need one database."""
    if "postgresql" in request.node.callspec.id:
        pytest.skip("the screenshots are taken on SQLite")
    Clinic.update(late_fee_cents=4000, currency="GBP", policy_hours=48).where(Clinic.id == clinic.id).execute()
    Service.create(clinic=clinic, name="Couples session", duration_minutes=80, position=1, late_fee_cents=6000)
    kim = make_client(clinic)
    hub_session = book(clinic, 2, 10, "hub", client=kim, hub=hub)
    book(clinic, 4, 11, "direct", client=kim)
    late = book(clinic, 1, 9, "hub", client=make_client(clinic, "noor@example.com", "Noor Haddad"), hub=hub)
    appointments.cancel(late, Actor.CLIENT, now=late.starts_at - dt.timedelta(hours=5))
    offer_hours(owner_of(clinic), 13)  # the client moves to an offered slot: day 3, 13:00
    appointments.reschedule(hub_session, hub_session.starts_at + dt.timedelta(days=1, hours=3), Actor.CLIENT)
    missed = make_session(clinic, -2, channel="direct", client=make_client(clinic, "jonas@example.com", "Jonas Berg"))
    appointments.mark_no_show(missed, owner_of(clinic))
    past = make_session(clinic, -50, channel="hub", client=kim, hub=hub)
    assert past

    page = browser_page
    client_pages = [
        ("bm-20-booking-link", urls.booking_link(owner_of(clinic)), "Book a session with Ada Byrne"),
        ("bm-21-hub", urls.hub_link(hub), "Northwind Employee Wellbeing"),
        ("bm-22-dashboard", urls.dashboard_link(kim), "Your sessions, Kim Lee"),
        ("bm-23-dashboard-new-link", live_server("/c/"), "Get a link to your sessions"),
    ]
    for name, url, heading in client_pages:
        for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
            page.set_viewport_size(size)
            page.goto(url)
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
            screenshot(page, f"{name}-{label}")

    desk, pro = sign_in(chromium, live_server)
    try:
        day = local(hub_session.starts_at, clinic).date()
        workstation_pages = [
            ("bm-30-calendar-week", f"/workstation/sessions?day={day.isoformat()}", "Sessions"),
            ("bm-31-calendar-day", f"/workstation/sessions?view=day&day={day.isoformat()}", "Sessions"),
            ("bm-32-session-detail-late", f"/workstation/sessions/{late.id}", "Session with Noor Haddad"),
            ("bm-33-session-detail-no-show", f"/workstation/sessions/{missed.id}", "Session with Jonas Berg"),
            ("bm-34-charges", "/workstation/charges?status=all", "Charges"),
            ("bm-35-availability", "/workstation/settings/availability", "Settings"),
        ]
        for name, path, heading in workstation_pages:
            for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
                pro.set_viewport_size(size)
                pro.goto(live_server(path))
                expect(pro.get_by_role("heading", name=heading, exact=True)).to_be_visible()
                screenshot(pro, f"{name}-{label}")
    finally:
        desk.close()

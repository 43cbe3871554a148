"""A whole journey inside each snippet kind, on a clinic website of another origin: the request form,
a professional's booking calendar and a Wellbeing Hub, each inline and as a popup. At every step the
frame is as tall as its page and the website hears each event exactly once: choosing a service, paging
the slots, a time taken meanwhile, the nearest free time instead, booking, and switching language on
the confirmation."""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    expect = None

from frontdesk import appointments, clinic_settings, snippets, urls
from frontdesk.client.forms import parse_utc
from frontdesk.models import Appointment, Client, Clinic, Request, Service

from tests.app.booking_fixtures import fresh, make_client, make_session, owner_of

from .conftest import PHONE, frame_of
from .test_inline import assert_fits

pytestmark = pytest.mark.browser

MODES = ["inline", "popup"]


def open_embed(visit, website, page_of_snippet, mode):
    """The clinic's page with the snippet of `mode`; a popup is opened. Returns (page, iframe selector)."""
    page = visit.page
    page.goto(website.page(f'<section id="embed">{snippets.embed(mode, page_of_snippet)}</section>'))
    if mode == "popup":
        page.get_by_role("button", name=page_of_snippet.label).click()
        return page, "dialog iframe"
    return page, "iframe"


def heard(page):
    return [(event["type"], event["detail"]["id"]) for event in page.evaluate("window.heard")]


class Journey:
    """One person's steps inside the frame, each checked to leave the frame sized to its page."""

    def __init__(self, page, selector, screenshot, name):
        self.page, self.selector, self.screenshot, self.name = page, selector, screenshot, name
        self.frame = page.frame_locator(selector)

    def fits(self, step):
        self.screenshot(self.page, f"journey-{self.name}-{step}")
        assert_fits(self.page, self.selector)

    def start(self):
        return frame_of(self.page, self.selector).evaluate("document.querySelector('input[name=start]').value")


def book_through_the_calendar(journey, clinic):
    """Choose the second service, page to later times, pick a time that another client then takes,
    take the nearest free time instead and book it; then switch language on the confirmation."""
    frame, page = journey.frame, journey.page
    expect(frame.get_by_role("heading", name="Book a session with Ada Byrne")).to_be_visible()
    journey.fits("slots")

    couples = Service.get(Service.name == "Couples session").id
    frame.get_by_label("Service").select_option(label="Couples session (80 minutes)")
    frame.get_by_role("button", name="Show times").click()
    # The old page already shows the chosen service: wait for the page the button asked for.
    frame_of(page, journey.selector).wait_for_url(re.compile(rf"[?&]service={couples}(&|$)"))
    expect(frame.get_by_label("Service")).to_have_value(str(couples))
    journey.fits("service")

    frame.get_by_role("link", name="Later times").click()
    expect(frame.get_by_role("link", name="Earlier times")).to_be_visible()
    journey.fits("later")

    frame.locator("button.slot").first.click()
    expect(frame.get_by_role("heading", name="Confirm your session")).to_be_visible()
    journey.fits("details")
    frame.get_by_label("Your name").fill("Sam Rivera")
    frame.get_by_label("Email").fill("sam@example.com")

    # Another client takes that time while Sam types.
    owner = owner_of(clinic)
    couples = Service.get(Service.name == "Couples session")
    appointments.book(clinic, owner, make_client(clinic), couples, parse_utc(journey.start()), 80, booked_by=owner)
    frame.get_by_role("button", name="Book session").click()
    expect(frame.get_by_role("alert")).to_contain_text("that time was just taken")
    expect(frame.get_by_role("button", name="Book session")).to_have_count(0)
    journey.fits("taken")
    assert heard(page) == []

    frame.locator("button[name=new_start]").first.click()
    expect(frame.get_by_role("button", name="Book session")).to_be_visible()
    expect(frame.get_by_label("Your name")).to_have_value("Sam Rivera")
    journey.fits("nearest")
    frame.get_by_role("button", name="Book session").click()
    expect(frame.get_by_role("heading", name="Your session is booked")).to_be_visible()
    journey.fits("booked")
    booked = Appointment.get(Appointment.client == Client.get(Client.email == "sam@example.com"))
    assert heard(page) == [("frontdesk:booked", str(booked.id))]

    frame.get_by_role("button", name="Deutsch").click()
    expect(frame.get_by_role("heading", name="Ihre Sitzung ist gebucht")).to_be_visible()
    journey.fits("booked-de")
    page.set_viewport_size(PHONE)
    journey.fits("booked-de-phone")
    assert heard(page) == [("frontdesk:booked", str(booked.id))]


@pytest.fixture
def two_services(clinic, hub):
    clinic_settings.add_service(Clinic.get_by_id(clinic.id), "Couples session", 80)
    return clinic


@pytest.mark.parametrize("mode", MODES)
def test_a_booking_calendar_journey_keeps_the_frame_sized_and_the_website_told(
    website, two_services, visit, screenshot, mode
):
    clinic = two_services
    page, selector = open_embed(visit, website, snippets.booking_page(owner_of(clinic)), mode)
    book_through_the_calendar(Journey(page, selector, screenshot, f"booking-{mode}"), clinic)


@pytest.mark.parametrize("mode", MODES)
def test_a_hub_journey_keeps_the_frame_sized_and_the_website_told(website, two_services, hub, visit, screenshot, mode):
    page, selector = open_embed(visit, website, snippets.hub_page(hub), mode)
    journey = Journey(page, selector, screenshot, f"hub-{mode}")
    expect(journey.frame.get_by_role("heading", name=hub.name)).to_be_visible()
    journey.fits("hub")
    journey.frame.get_by_role("link", name="See free times – Ada Byrne").click()
    book_through_the_calendar(journey, two_services)


@pytest.mark.parametrize("mode", MODES)
def test_a_request_journey_keeps_the_frame_sized_and_the_website_told(website, clinic, visit, screenshot, mode):
    page, selector = open_embed(visit, website, snippets.request_form_page(clinic), mode)
    journey = Journey(page, selector, screenshot, f"request-{mode}")
    frame = journey.frame
    expect(frame.get_by_role("heading", name="Request a service")).to_be_visible()
    journey.fits("form")
    frame.get_by_label("Your name").fill("Sam Rivera")
    frame.get_by_label("Email").fill("sam@example.com")

    # The switcher sends the form back in the new language with what was typed; nothing is sent.
    frame.get_by_role("button", name="Deutsch").click()
    expect(frame.get_by_role("heading", name="Leistung anfragen")).to_be_visible()
    journey.fits("form-de")
    frame.get_by_role("button", name="English").click()
    expect(frame.get_by_label("Your name")).to_have_value("Sam Rivera")
    assert Request.select().count() == 0 and heard(page) == []

    frame.get_by_role("button", name="Send request").click()
    expect(frame.get_by_role("heading", name="Thank you, your request was sent")).to_be_visible()
    journey.fits("sent")
    sent = [("frontdesk:submitted", str(Request.get().id))]
    assert heard(page) == sent

    frame.get_by_role("button", name="Deutsch").click()
    expect(frame.get_by_role("heading", name="Vielen Dank, Ihre Anfrage wurde gesendet")).to_be_visible()
    journey.fits("sent-de")
    assert heard(page) == sent


def manage_page(website, clinic, session):
    """The clinic's website (listed, as manage pages require) embedding a session's manage link inline."""
    Clinic.update(allowed_origins=[website.origin]).where(Clinic.id == clinic.id).execute()
    snippet = snippets.render(
        "inline", urls.manage_link(session), urls.external_url("embed_script"), "Manage your session"
    )
    return website.page(f'<section id="embed">{snippet}</section>')


def test_cancelling_inside_the_clinics_site_tells_the_website_once(website, clinic, visit, screenshot):
    session = make_session(clinic, 72, channel="request")
    page = visit.page
    page.goto(manage_page(website, clinic, session))
    journey = Journey(page, "iframe", screenshot, "manage-cancel")
    frame = journey.frame
    expect(frame.get_by_role("heading", name="Your session")).to_be_visible()
    journey.fits("manage")
    frame.get_by_role("link", name="Cancel session").click()
    frame.get_by_label("Would you like to tell us why? (optional)").fill("I found a time closer to work")
    journey.fits("cancel")
    frame.get_by_role("button", name="Yes, cancel the session").click()
    expect(frame.get_by_role("heading", name="Your session is cancelled")).to_be_visible()
    journey.fits("cancelled")
    assert heard(page) == [("frontdesk:cancelled", str(session.id))]
    expect(frame.get_by_role("link", name="Ask for a new session")).to_be_visible()


def test_moving_a_hub_session_inside_the_clinics_site_tells_the_website_once(website, clinic, hub, visit, screenshot):
    session = make_session(clinic, 72, channel="hub", hub=hub)
    page = visit.page
    page.goto(manage_page(website, clinic, session))
    journey = Journey(page, "iframe", screenshot, "manage-move")
    frame = journey.frame
    frame.get_by_role("link", name="Reschedule").click()
    expect(frame.get_by_role("heading", name="Choose a new time")).to_be_visible()
    journey.fits("times")
    frame.locator("button.slot").first.click()
    expect(frame.get_by_role("heading", name="Move your session?")).to_be_visible()
    journey.fits("confirm")
    assert heard(page) == []
    frame.get_by_role("button", name="Yes, move the session").click()
    expect(frame.get_by_role("heading", name="Your session was rescheduled")).to_be_visible()
    journey.fits("moved")
    moved = fresh(session).rescheduled_to
    assert heard(page) == [("frontdesk:rescheduled", str(moved.id))]


def test_switching_to_arabic_on_move_your_session_keeps_the_step_on_a_phone(website, clinic, hub, visit, screenshot):
    """The language switcher of "Move your session?" brings the same step back (current time → new time)
    in Arabic, right to left, and moves nothing until the client confirms; the website hears one event."""
    session = make_session(
        clinic, 72, channel="hub", hub=hub, video_link="https://video.example/kim", place_note="Room 2, second floor"
    )
    page = visit.page
    page.set_viewport_size(PHONE)
    page.goto(manage_page(website, clinic, session))
    journey = Journey(page, "iframe", screenshot, "move-arabic")
    frame = journey.frame
    join = frame.get_by_role("link", name="Join the video session")
    expect(join).to_have_attribute("href", "https://video.example/kim")
    expect(frame.get_by_text("Room 2, second floor")).to_be_visible()
    journey.fits("manage-with-place-390")
    frame.get_by_role("link", name="Reschedule").click()
    frame.locator("button.slot").first.click()
    expect(frame.get_by_role("heading", name="Move your session?")).to_be_visible()
    start = journey.start()

    frame.get_by_role("button", name="العربية").click()
    expect(frame.get_by_role("heading", name="تغيير موعد جلستك؟")).to_be_visible()
    expect(frame.locator("html")).to_have_attribute("dir", "rtl")
    expect(frame.get_by_text("الموعد الحالي", exact=True)).to_be_visible()
    assert journey.start() == start
    assert fresh(session).status == "booked" and heard(page) == []
    journey.fits("confirm-ar-390")

    frame.get_by_role("button", name="نعم، غيّر موعد الجلسة").click()
    expect(frame.get_by_role("heading", name="تم تغيير موعد جلستك")).to_be_visible()
    moved = fresh(session).rescheduled_to
    assert moved.starts_at == parse_utc(start)
    assert heard(page) == [("frontdesk:rescheduled", str(moved.id))]

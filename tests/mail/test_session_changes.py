"""Cancellation and reschedule emails, as a real SMTP server receives them: who gets what, and
calendar attachments that update the same event instead of adding another."""

import datetime as dt

import icalendar
from frontdesk import appointments, booking
from frontdesk.mail import delivery
from frontdesk.models import Appointment, Client, Hub, Professional, utcnow
from frontdesk.states import Actor

from tests.app.offered_slots import offer_hours


def hub_session(clinic, days_ahead=5):
    owner = Professional.get(Professional.clinic == clinic)
    client = Client.create(clinic=clinic, email="kim@example.com", name="Kim Lee", status="active", language="en")
    hub = Hub.create(clinic=clinic, name="Acme Wellbeing")
    offer_hours(owner, 10)
    day = booking.utc_to_local(utcnow(), clinic.timezone).date() + dt.timedelta(days=days_ahead)
    start = booking.local_to_utc(day, dt.time(10, 0), clinic.timezone)
    return appointments.book(
        clinic, owner, client, clinic.services.get(), start, 50, booked_by=None, channel="hub", hub=hub
    )


def calendar_of(message):
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(part.get_content())
    return part.get_param("method"), calendar, calendar.walk("VEVENT")[0]


def test_a_reschedule_sends_four_emails_that_move_the_calendar_event(app, clinic, smtp_server):
    original = hub_session(clinic)
    delivery.deliver_due(app)
    smtp_server.messages.clear()

    old, moved = appointments.reschedule(original, original.starts_at + dt.timedelta(days=1), Actor.CLIENT)
    assert delivery.deliver_due(app) == (4, 0)
    messages = smtp_server.messages
    assert sorted((m["To"], m["Subject"]) for m in messages) == sorted(
        [
            ("kim@example.com", "Your session with Harbour Counselling was rescheduled"),
            ("kim@example.com", "Your session with Harbour Counselling is booked"),
            ("owner@harbour.example", "A session was rescheduled"),
            ("owner@harbour.example", "A session was booked"),
        ]
    )
    for message in messages:
        method, calendar, event = calendar_of(message)
        assert calendar["METHOD"] == method
        if "rescheduled" in message["Subject"]:
            assert (method, str(event["UID"]), event["SEQUENCE"]) == ("CANCEL", original.uid, 1)
            assert event["STATUS"] == "CANCELLED"
            body = message.get_body(("plain",)).get_content()
            assert "Previous time:" in body and "New time:" in body and "reason" not in body.lower()
        else:
            assert (method, str(event["UID"])) == ("REQUEST", moved.uid)
            assert event.decoded("DTSTART").replace(tzinfo=None) == moved.starts_at

    old = Appointment.get_by_id(original.id)
    assert (old.status, old.cancel_reason, old.rescheduled_to_id) == ("cancelled", "rescheduled", moved.id)
    assert old.manage_nonce != original.manage_nonce, "the old manage link stops acting"


def test_a_cancellation_emails_both_sides_with_a_cancel_for_the_same_event(app, clinic, smtp_server):
    session = hub_session(clinic)
    delivery.deliver_due(app)
    smtp_server.messages.clear()
    appointments.cancel(session, Actor.CLIENT)
    assert delivery.deliver_due(app) == (2, 0)
    assert {m["To"] for m in smtp_server.messages} == {"kim@example.com", "owner@harbour.example"}
    for message in smtp_server.messages:
        method, _, event = calendar_of(message)
        assert (method, str(event["UID"]), event["SEQUENCE"]) == ("CANCEL", session.uid, 1)


def test_the_confirmation_carries_the_manage_and_dashboard_links_but_no_answers(app, clinic, smtp_server):
    hub_session(clinic)
    delivery.deliver_due(app)
    to_client = next(m for m in smtp_server.messages if m["To"] == "kim@example.com")
    body = to_client.get_body(("plain",)).get_content()
    assert "http://frontdesk.test/m/" in body and "http://frontdesk.test/c/" in body
    to_professional = next(m for m in smtp_server.messages if m["To"] == "owner@harbour.example")
    assert "/m/" not in to_professional.get_body(("plain",)).get_content()

"""A held session's emails as a real SMTP server (aiosmtpd) receives them (issue 12): the client's request to
confirm, with no calendar invitation and nothing sent to the professional; after confirming, the usual two
confirmations; and, for a hold nobody confirmed, one email telling the client, however many worker passes run."""

import datetime as dt
import re
import threading

from frontdesk import appointments, booking
from frontdesk.mail import delivery
from frontdesk.models import Appointment, Client, Clinic, Professional, utcnow

from tests.app.offered_slots import offer_hours
from tests.pages import form_token

KIM = "kim@example.com"
OWNER = "owner@harbour.example"


def held_session(clinic):
    """Kim books a free time from the calendar at a clinic that asks for confirmation."""
    Clinic.update(confirm_self_bookings=True, hold_minutes=30).where(Clinic.id == clinic.id).execute()
    owner = Professional.get(Professional.clinic == clinic)
    kim = Client.create(clinic=clinic, email=KIM, name="Kim Lee", status="active", language="en")
    offer_hours(owner, 10)
    day = booking.utc_to_local(utcnow(), clinic.timezone).date() + dt.timedelta(days=3)
    start = booking.local_to_utc(day, dt.time(10, 0), clinic.timezone)
    return appointments.book(
        Clinic.get_by_id(clinic.id), owner, kim, clinic.services.get(), start, 50, booked_by=None, hold_minutes=30
    )


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_hold_asks_the_client_only_and_confirming_sends_the_usual_two(app, clinic, smtp_server):
    held_session(clinic)
    assert delivery.deliver_due(app) == (1, 0)
    [asked] = smtp_server.messages
    assert (asked["To"], asked["Subject"]) == (KIM, "Please confirm your session with Harbour Counselling")
    assert not list(asked.iter_attachments()), "no invitation for a time that is only held"
    path = re.search(r"http://frontdesk\.test(/confirm/\S+)", text_of(asked)).group(1)

    browser = app.test_client()
    browser.post(path, data={"form_token": form_token(browser.get(path))})
    smtp_server.messages.clear()
    assert delivery.deliver_due(app) == (2, 0)
    assert sorted((m["To"], m["Subject"]) for m in smtp_server.messages) == [
        (KIM, "Your session with Harbour Counselling is booked"),
        (OWNER, "A session was booked"),
    ]


def test_a_lapsed_hold_is_told_once_however_many_workers_pass(app, clinic, smtp_server):
    session = held_session(clinic)
    delivery.deliver_due(app)
    smtp_server.messages.clear()
    Appointment.update(hold_until=utcnow() - dt.timedelta(minutes=1)).where(Appointment.id == session.id).execute()

    def worker():
        with app.app_context():
            appointments.release_lapsed_holds()
            delivery.deliver_due(app)

    workers = [threading.Thread(target=worker) for _ in range(3)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in workers)
    worker()
    assert [(m["To"], m["Subject"]) for m in smtp_server.messages] == [
        (KIM, "Your session with Harbour Counselling was not confirmed")
    ]
    assert "/b/" in text_of(smtp_server.messages[0])
    assert Appointment.get_by_id(session.id).status == "released"

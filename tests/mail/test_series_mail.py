"""A weekly series' emails as a real SMTP server receives them: one confirmation per session booked, each with
its own invitation, and one email for "this and all following" whose calendar update cancels every date."""

import datetime as dt

import icalendar
from frontdesk import appointments, booking, series
from frontdesk.mail import delivery
from frontdesk.models import Client, Professional, new_nonce, utcnow


def book_weekly(clinic, count):
    owner = Professional.get(Professional.clinic == clinic)
    client = Client.create(clinic=clinic, email="kim@example.com", name="Kim Lee", status="active", language="en")
    today = booking.utc_to_local(utcnow(), clinic.timezone).date()
    days = series.days(today + dt.timedelta(days=3), 1, today, count=count)
    starts = [booking.local_to_utc(day, dt.time(9), clinic.timezone) for day in days]
    return appointments.book_series(new_nonce(), clinic, owner, client, clinic.services.get(), starts, 1, owner)


def calendars(message):
    return [
        icalendar.Calendar.from_ical(part.get_content())
        for part in message.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]


def test_each_session_of_a_series_is_confirmed_once_and_the_rest_cancelled_in_one_email(app, clinic, smtp_server):
    sessions = book_weekly(clinic, 4)[1]
    assert delivery.deliver_due(app) == (8, 0)
    to_client = [m for m in smtp_server.messages if m["To"] == "kim@example.com"]
    assert len(to_client) == 4, "one confirmation per session booked"
    uids = {str(calendars(m)[0].walk("VEVENT")[0]["UID"]) for m in to_client}
    assert uids == {s.uid for s in sessions}, "each session its own invitation"

    appointments.cancel_following(sessions[1], Professional.get(Professional.clinic == clinic))
    smtp_server.messages.clear()
    assert delivery.deliver_due(app) == (2, 0), "one email to the client and one to the professional"
    message = next(m for m in smtp_server.messages if m["To"] == "kim@example.com")
    assert message["Subject"] == "Your sessions with Harbour Counselling are cancelled"
    (update,) = calendars(message)
    assert update["METHOD"] == "CANCEL"
    assert {str(event["UID"]) for event in update.walk("VEVENT")} == {s.uid for s in sessions[1:]}
    body = message.get_body(("plain",)).get_content()
    assert body.count("\n- ") == 3
    assert "Kim Lee" not in next(m for m in smtp_server.messages if m["To"] != "kim@example.com")["Subject"]

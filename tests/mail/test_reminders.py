"""Reminder emails and the daily agenda, as the mail worker queues them and a real SMTP server gets them:
once per session and reminder, never for a cancelled session, at the new time of a moved one."""

import datetime as dt

from frontdesk import appointments, booking, reminders
from frontdesk.mail import delivery
from frontdesk.mail import outbox as mail_outbox
from frontdesk.models import Appointment, Client, Clinic, OutboxMessage, Professional, SentReminder, utcnow
from frontdesk.states import Actor

from tests.app.booking_fixtures import make_client, make_session, owner_of
from tests.conftest import outbox

REMINDER = "Reminder: your session with Harbour Counselling"
WEEK = dt.timedelta(days=7)


def session_due(clinic, hours_ahead=23, channel="direct", **fields):
    """A session booked a week ago that starts `hours_ahead` from now."""
    return make_session(clinic, hours_ahead, channel=channel, created_at=utcnow() - WEEK, **fields)


def reminders_to(address=None):
    query = OutboxMessage.select().where(OutboxMessage.subject.startswith("Reminder"))
    if address:
        query = query.where(OutboxMessage.to_address == address)
    return [mail_outbox.rendered(message) for message in query]


def test_a_reminder_reaches_the_client_once_and_says_little_on_the_outside(app, clinic, smtp_server):
    client = make_client(clinic)
    Client.update(timezone="America/New_York").where(Client.id == client.id).execute()
    session = session_due(clinic)
    assert reminders.queue_due() == 1
    assert reminders.queue_due() == 0, "a second pass queues nothing again"
    assert delivery.deliver_due(app) == (1, 0)
    assert delivery.deliver_due(app) == (0, 0)

    (message,) = smtp_server.messages
    assert message["To"] == "kim@example.com"
    assert message["Subject"] == REMINDER
    service = session.service.name
    assert service not in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "Hello Kim Lee," in text
    assert "Eastern" in text, "the time is in the client's own zone"
    assert service not in text, "discreet: the service is not named"
    assert "starts in less than 24 hours, so changing or cancelling it now counts as late" in text
    assert "http://frontdesk.test/m/" in text, "the manage link, where the client may still cancel"
    assert "http://frontdesk.test/c/" in text, "the dashboard, where reminders are turned off"
    html = message.get_body(("html",)).get_content()
    assert "/m/" in html and service not in html


def test_an_early_reminder_says_when_changes_become_late(app, clinic):
    reminders.save_reminder_settings(clinic, 72, None, remind_late_bookings=False)
    session_due(clinic, hours_ahead=70)
    reminders.queue_due()
    (reminder,) = reminders_to()
    assert "Changes or cancellations less than 24 hours before the session count as late" in reminder.text_body
    assert "modification penalty" not in reminder.text_body


def test_the_late_window_and_the_terms_are_spelled_out(app, clinic):
    Clinic.update(policy_hours=48).where(Clinic.id == clinic.id).execute()
    session_due(clinic, hours_ahead=20)
    reminders.queue_due()
    (reminder,) = reminders_to()
    assert "starts in less than 48 hours, so changing or cancelling it now counts as late" in reminder.text_body
    assert "modification penalty may apply" in reminder.text_body
    assert "https://harbour.example/terms" in reminder.text_body


def test_no_reminder_for_a_cancelled_session(app, clinic):
    session = session_due(clinic)
    appointments.cancel(session, Actor.PROFESSIONAL, owner_of(clinic))
    assert reminders.queue_due() == 0
    assert reminders_to() == []


def test_a_rescheduled_session_is_reminded_at_its_new_time(app, clinic):
    session = session_due(clinic, hours_ahead=23)
    old, moved = appointments.reschedule(
        session, session.starts_at + dt.timedelta(days=2), Actor.PROFESSIONAL, owner_of(clinic)
    )
    Appointment.update(created_at=utcnow() - WEEK).where(Appointment.id == moved.id).execute()
    assert reminders.queue_due() == 0, "the old time is cancelled and the new one is not due yet"
    assert reminders.queue_due(now=moved.starts_at - dt.timedelta(hours=23)) == 1
    (reminder,) = reminders_to()
    with app.test_request_context():
        from frontdesk.formatting import local_when

        assert local_when(moved.starts_at, clinic.timezone) in reminder.text_body
    assert SentReminder.get().appointment_id == moved.id


def test_a_session_booked_inside_the_window_gets_none_unless_the_clinic_chooses(app, clinic):
    owner = owner_of(clinic)
    client = make_client(clinic)
    start = (utcnow() + dt.timedelta(hours=5)).replace(second=0, microsecond=0)
    appointments.book(clinic, owner, client, clinic.services.get(), start, 50, booked_by=owner)
    assert reminders.queue_due() == 0

    reminders.save_reminder_settings(clinic, 24, None, remind_late_bookings=True)
    assert reminders.queue_due() == 1
    assert reminders.queue_due() == 0
    assert len(reminders_to("kim@example.com")) == 1


def test_two_reminders_one_each(app, clinic):
    reminders.save_reminder_settings(clinic, 24, 2, remind_late_bookings=False)
    session = session_due(clinic, hours_ahead=23)
    assert reminders.queue_due() == 1
    assert reminders.queue_due(now=session.starts_at - dt.timedelta(hours=3)) == 0
    assert reminders.queue_due(now=session.starts_at - dt.timedelta(hours=2)) == 1
    assert reminders.queue_due(now=session.starts_at - dt.timedelta(hours=1)) == 0
    assert len(reminders_to()) == 2


def test_a_client_who_turned_reminders_off_gets_none(app, clinic):
    client = make_client(clinic)
    Client.update(reminders=False).where(Client.id == client.id).execute()
    session_due(clinic, client=client)
    assert reminders.queue_due() == 0


def test_the_daily_agenda_is_off_until_the_professional_turns_it_on(app, clinic):
    owner = owner_of(clinic)
    tomorrow = booking.utc_to_local(utcnow(), clinic.timezone).date() + dt.timedelta(days=1)
    start = booking.local_to_utc(tomorrow, dt.time(10), clinic.timezone)
    client = make_client(clinic)
    Client.update(reminders=False).where(Client.id == client.id).execute()  # only the agenda is counted here
    Appointment.create(
        clinic=clinic,
        professional=owner,
        client=client,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=50),
    )
    evening = booking.local_to_utc(tomorrow - dt.timedelta(days=1), dt.time(19), clinic.timezone)
    morning = booking.local_to_utc(tomorrow - dt.timedelta(days=1), dt.time(9), clinic.timezone)

    assert reminders.queue_due(now=evening) == 0, "off by default"
    reminders.set_daily_agenda(Professional.get_by_id(owner.id), True)
    assert reminders.queue_due(now=morning) == 0, "only from the evening before"
    assert reminders.queue_due(now=evening) == 1
    assert reminders.queue_due(now=evening + dt.timedelta(hours=1)) == 0, "once a day"
    (agenda,) = outbox(owner.email)
    assert agenda.subject == "Your sessions tomorrow"
    assert "Kim Lee" not in agenda.subject and "Kim Lee" in agenda.text_body
    assert "10:00" in agenda.text_body

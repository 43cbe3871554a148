"""Reminder emails before sessions, and the professionals' daily agenda, queued by the mail worker.

`queue_due()` runs before each delivery pass of `frontdesk send-mail`. Each reminder is queued in one
transaction with a SentReminder row whose unique key names it, so of several workers (or a worker that
restarts) exactly one queues it; the outbox then sends it as any other email. The reminder's timing is
decided in reminder_rules.py.
"""

import datetime

from flask_babel import lazy_gettext as _l
from peewee import IntegrityError, fn

from . import booking, charges, reminder_rules
from .appointments import place_of
from .db import database, lock_rows
from .form_nonces import used_once
from .mail import outbox
from .models import Appointment, Client, Clinic, Professional, SentReminder, utcnow
from .states import SessionStatus


class BadReminderHours(ValueError):
    """Hours outside 1 to reminder_rules.MAX_REMINDER_HOURS, or a second reminder equal to the first."""


def save_reminder_settings(clinic, first_hours, second_hours, remind_late_bookings):
    """A clinic's reminders: hours before the session, an optional second (None), and whether a session
    booked inside a reminder's window gets one at once."""
    for hours in (first_hours, second_hours):
        if hours is not None and not 1 <= hours <= reminder_rules.MAX_REMINDER_HOURS:
            raise BadReminderHours(hours)
    if second_hours is not None and second_hours == first_hours:
        raise BadReminderHours(second_hours)
    Clinic.update(
        reminder_hours=first_hours, second_reminder_hours=second_hours, remind_late_bookings=remind_late_bookings
    ).where(Clinic.id == clinic.id).execute()


def set_client_reminders(client, enabled, nonce):
    """The client's own choice, from their dashboard, under its form's one-time nonce (raises
    form_nonces.AlreadySubmitted for a second submit of the same showing)."""
    with used_once(nonce):
        Client.update(reminders=enabled).where(Client.id == client.id).execute()


def set_daily_agenda(professional, enabled):
    Professional.update(daily_agenda=enabled).where(Professional.id == professional.id).execute()


def queue_due(now=None):
    """Queue every reminder and agenda due now; return how many were queued."""
    now = now or utcnow()
    return _queue_reminders(now) + _queue_agendas(now)


def _longest_reminder_hours():
    """The furthest ahead any clinic reminds, so each pass reads no more sessions than it may remind."""
    first, second = Clinic.select(fn.MAX(Clinic.reminder_hours), fn.MAX(Clinic.second_reminder_hours)).scalar(
        as_tuple=True
    )
    return min(max(first or 0, second or 0), reminder_rules.MAX_REMINDER_HOURS)


def _candidates(now):
    """Booked sessions that start within the longest reminder, with their clinic and client: one query
    on the (status, starts_at) index, whatever the history."""
    horizon = now + datetime.timedelta(hours=_longest_reminder_hours())
    return list(
        Appointment.select(Appointment, Clinic, Client)
        .join(Clinic, on=(Appointment.clinic == Clinic.id))
        .switch(Appointment)
        .join(Client, on=(Appointment.client == Client.id))
        .where(
            Appointment.status == SessionStatus.BOOKED,
            Appointment.starts_at > now,
            Appointment.starts_at <= horizon,
            Client.reminders == True,  # noqa: E712  (peewee builds SQL from ==)
        )
        .order_by(Appointment.starts_at)
    )


def _session_key(appointment_id, slot):
    return f"session:{appointment_id}:{slot}"


def _queue_reminders(now):
    sessions = _candidates(now)
    sent = {}
    if sessions:
        keys = SentReminder.select(SentReminder.key).where(SentReminder.appointment.in_([s.id for s in sessions]))
        for (key,) in keys.tuples():
            _, appointment_id, slot = key.split(":")
            sent.setdefault(int(appointment_id), set()).add(slot)
    queued = 0
    for session in sessions:
        clinic = session.clinic
        slots = reminder_rules.reminder_slots(clinic.reminder_hours, clinic.second_reminder_hours)
        slot = reminder_rules.reminder_due(
            session.starts_at, session.created_at, now, slots, sent.get(session.id, set()), clinic.remind_late_bookings
        )
        if slot is not None and _queue_reminder(session, slot, now):
            queued += 1
    return queued


def _queue_reminder(session, slot, now):
    """Queue one reminder unless another worker did, or the session changed meanwhile."""
    try:
        with database.atomic():
            current = lock_rows(Appointment.select().where(Appointment.id == session.id)).get()
            if current.status != SessionStatus.BOOKED:
                return False
            SentReminder.create(key=_session_key(session.id, slot), clinic=session.clinic, appointment=session)
            _queue_reminder_email(session, now)
    except IntegrityError:
        return False  # another worker queued it first
    return True


def _queue_reminder_email(session, now):
    clinic, client = session.clinic, session.client
    client_may = booking.client_permissions(
        session.channel, session.status, session.starts_at, now, clinic.policy_hours
    )
    outbox.queue(
        client.email,
        "session_reminder",
        # Discreet: an inbox or lock screen may be shared, so no service in the subject.
        _l("Reminder: your session with %(clinic)s", clinic=outbox.shown_name(clinic)),
        client.language or clinic.default_language,
        clinic=clinic,
        client=client,
        professional=session.professional,
        appointment=session,
        client_may=client_may,
        place=place_of(session),
        late_fee_cents=charges.fee_cents(session),
    )


def _queue_agendas(now):
    queued = 0
    professionals = (
        Professional.select(Professional, Clinic)
        .join(Clinic, on=(Professional.clinic == Clinic.id))
        .where(Professional.daily_agenda == True)  # noqa: E712
    )
    for professional in professionals:
        clinic = professional.clinic
        day = reminder_rules.agenda_day(booking.utc_to_local(now, clinic.timezone))
        if day is None:
            continue
        key = f"agenda:{professional.id}:{day.isoformat()}"
        if SentReminder.select().where(SentReminder.key == key).exists():
            continue
        sessions = _sessions_on(professional, day)
        if not sessions:
            continue  # nothing to say; a session booked later this evening still gets an agenda
        try:
            with database.atomic():
                SentReminder.create(key=key, clinic=clinic)
                outbox.queue(
                    professional.email,
                    "daily_agenda",
                    _l("Your sessions tomorrow"),
                    clinic.default_language,
                    clinic=clinic,
                    professional=professional,
                    day=day,
                    sessions=sessions,
                )
        except IntegrityError:
            continue
        queued += 1
    return queued


def _sessions_on(professional, day):
    timezone = professional.clinic.timezone
    start = booking.local_to_utc(day, datetime.time(0, 0), timezone)
    end = booking.local_to_utc(day + datetime.timedelta(days=1), datetime.time(0, 0), timezone)
    return list(
        Appointment.select(Appointment, Client)
        .join(Client, on=(Appointment.client == Client.id))
        .where(
            Appointment.professional == professional.id,
            Appointment.status == SessionStatus.BOOKED,
            Appointment.starts_at >= start,
            Appointment.starts_at < end,
        )
        .order_by(Appointment.starts_at)
    )

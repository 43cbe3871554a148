"""Sessions in the database: booking, cancelling, rescheduling and no-shows, each one transaction
with its emails. The rules themselves are decided in booking.py."""
from flask_babel import lazy_gettext as _l

from . import booking, charges
from .db import database, is_postgres, lock_rows
from .mail import outbox
from .mail.ics import calendar_event
from .models import Appointment, Professional, new_nonce, utcnow

CLIENT = "client"
PROFESSIONAL = "professional"
RESCHEDULED = "rescheduled"


def channel_for(client):
    """A client who came through the request form is a `request` client; anyone else is `direct`."""
    return "request" if client.requests.exists() else "direct"


def _lock_professional(professional):
    """Serialises every change to one professional's calendar, so of two attempts at one slot
    exactly one wins (SELECT … FOR NO KEY UPDATE on PostgreSQL, the IMMEDIATE transaction on SQLite).

    Every change takes this lock first, before the session's own row: a cancel that locked the session
    and then wrote the professional's id into it would wait on a reschedule holding the professional
    while the reschedule waited on the session, a deadlock on PostgreSQL. On SQLite the transaction
    holds the database's write lock from BEGIN, so there is nothing more to take."""
    if is_postgres():
        lock_rows(Professional.select().where(Professional.id == professional.id)).get()


def _check_free(professional, start, end, exclude=None):
    booked = (Appointment.select(Appointment.starts_at, Appointment.ends_at)
              .where(Appointment.professional == professional, Appointment.status == "booked",
                     Appointment.starts_at < end, Appointment.ends_at > start))
    if exclude is not None:
        booked = booked.where(Appointment.id != exclude.id)
    booking.check_free(start, end, [(a.starts_at, a.ends_at) for a in booked])


def book(clinic, professional, client, service, start, duration_minutes, booked_by, now=None,
         channel=None, hub=None):
    """Book one session, or raise booking.BookingError. `booked_by` is the professional who booked
    it, or None when the client booked it themselves."""
    now = now or utcnow()
    start, end = booking.session_times(start, duration_minutes, now)
    with database.atomic():
        _lock_professional(professional)
        _check_free(professional, start, end)
        appointment = Appointment.create(
            clinic=clinic, professional=professional, client=client, service=service, starts_at=start,
            ends_at=end, channel=channel or channel_for(client), hub=hub, booked_by=booked_by)
        _queue_confirmations(appointment)
    return appointment


def _current(appointment):
    """The session as it is now, locked for this transaction."""
    return lock_rows(Appointment.select().where(Appointment.id == appointment.id)).get()


def _mark_cancelled(appointment, actor, professional, now, reason="", rescheduled_to=None):
    policy = appointment.clinic.policy_hours
    late = actor == CLIENT and booking.is_late(appointment.channel, policy, appointment.starts_at, now)
    appointment.status = "cancelled"
    appointment.cancelled_at = now
    appointment.cancelled_by = actor
    appointment.cancelled_by_professional = professional if actor == PROFESSIONAL else None
    appointment.cancel_reason = reason
    appointment.notice_minutes = int(booking.notice(appointment.starts_at, now).total_seconds() // 60)
    appointment.late = late
    appointment.rescheduled_to = rescheduled_to
    appointment.sequence += 1
    appointment.manage_nonce = new_nonce()
    appointment.save()
    return late


def cancel(appointment, actor, professional=None, now=None):
    """Cancel a session for the client or a professional. A client's late cancellation opens a
    charge decision; a professional's never does."""
    now = now or utcnow()
    with database.atomic():
        _lock_professional(appointment.professional)
        current = _current(appointment)
        if actor == CLIENT:
            booking.check_client_cancel(current.status, current.starts_at, now)
        else:
            booking.check_professional_change(current.status, current.ends_at, now)
        if _mark_cancelled(current, actor, professional, now):
            charges.open_decision(current, charges.LATE_CANCELLATION)
        _queue_cancellations(current)
    return current


def reschedule(appointment, new_start, actor, professional=None, now=None):
    """Move a session: the old one is cancelled (reason: rescheduled, linked to the new one) and the
    new one booked, in one transaction; client and professional each get a cancellation and a
    confirmation. Only hub sessions may be moved by the client. Moving a session inside the late window
    cancels it late, as the client was warned before choosing, so it opens a charge decision too."""
    now = now or utcnow()
    with database.atomic():
        _lock_professional(appointment.professional)
        current = _current(appointment)
        if actor == CLIENT:
            booking.check_client_reschedule(current.channel, current.status, current.starts_at, now)
        else:
            booking.check_professional_change(current.status, current.ends_at, now)
        start, end = booking.session_times(new_start, int((current.ends_at - current.starts_at).total_seconds() // 60), now)
        _check_free(current.professional, start, end, exclude=current)
        moved = Appointment.create(
            clinic=current.clinic, professional=current.professional, client=current.client,
            service=current.service, starts_at=start, ends_at=end, channel=current.channel, hub=current.hub,
            booked_by=professional if actor == PROFESSIONAL else None)
        if _mark_cancelled(current, actor, professional, now, reason=RESCHEDULED, rescheduled_to=moved):
            charges.open_decision(current, charges.LATE_CANCELLATION)
        _queue_cancellations(current)
        _queue_confirmations(moved)
    return current, moved


def mark_no_show(appointment, professional, now=None):
    """Record that the client did not come, and open a charge decision."""
    now = now or utcnow()
    with database.atomic():
        _lock_professional(appointment.professional)
        current = _current(appointment)
        booking.check_no_show(current.status, current.starts_at, now, recorded=current.no_show_at is not None)
        current.no_show_at = now
        current.save()
        charges.open_decision(current, charges.NO_SHOW)
    return current


def _service_name(appointment):
    return appointment.service.name if appointment.service else _l("Session")


def _invite(appointment, method):
    return calendar_event(
        method, appointment.uid, appointment.sequence, appointment.starts_at, appointment.ends_at,
        summary=f"{_service_name(appointment)} – {appointment.clinic.name}",
        organizer_email=appointment.professional.email, attendee_email=appointment.client.email)


def _send_both(appointment, kind, method, client_subject, professional_subject, **extra):
    """Queue `kind` to the client (in their language) and to the professional, with the invitation."""
    clinic, client = appointment.clinic, appointment.client
    context = dict(clinic=clinic, client=client, professional=appointment.professional, appointment=appointment,
                   ics=_invite(appointment, method), **extra)
    outbox.queue(client.email, f"{kind}_client", client_subject, client.language or clinic.default_language, **context)
    outbox.queue(appointment.professional.email, f"{kind}_professional", professional_subject,
               clinic.default_language, **context)


def _queue_confirmations(appointment):
    _send_both(appointment, "session_booked", "REQUEST",
               _l("Your session with %(clinic)s is booked", clinic=appointment.clinic.name),
               _l("Session booked with %(name)s", name=appointment.client.name))


def _queue_cancellations(appointment):
    moved_to = appointment.rescheduled_to
    if moved_to is not None:
        subjects = (_l("Your session with %(clinic)s was rescheduled", clinic=appointment.clinic.name),
                    _l("Session with %(name)s was rescheduled", name=appointment.client.name))
    else:
        subjects = (_l("Your session with %(clinic)s is cancelled", clinic=appointment.clinic.name),
                    _l("Session with %(name)s was cancelled", name=appointment.client.name))
    _send_both(appointment, "session_cancelled", "CANCEL", *subjects, moved_to=moved_to)

"""Booking sessions: the rules from booking.py applied to the database, with their emails."""
from flask_babel import lazy_gettext as _l

from . import booking, mail
from .db import database, lock_rows
from .models import Appointment, Professional, utcnow


def channel_for(client):
    """A client who came through the request form is a `request` client; anyone else is `direct`."""
    return "request" if client.requests.exists() else "direct"


def book(clinic, professional, client, service, start, duration_minutes, booked_by, now=None):
    """Book one session, or raise booking.BookingError. Two professionals' sessions never block each
    other; two attempts at one professional's time are serialised by a lock on that professional, so
    exactly one of them wins."""
    now = now or utcnow()
    start, end = booking.session_times(start, duration_minutes, now)
    with database.atomic():
        lock_rows(Professional.select().where(Professional.id == professional.id)).get()
        booked = (Appointment.select(Appointment.starts_at, Appointment.ends_at)
                  .where(Appointment.professional == professional, Appointment.status == "booked",
                         Appointment.starts_at < end, Appointment.ends_at > start))
        booking.check_free(start, end, [(a.starts_at, a.ends_at) for a in booked])
        appointment = Appointment.create(
            clinic=clinic, professional=professional, client=client, service=service,
            starts_at=start, ends_at=end, channel=channel_for(client), booked_by=booked_by)
        _confirm(appointment)
    return appointment


def _confirm(appointment):
    """Queue the confirmation, with the calendar invitation, to the client and to the professional."""
    clinic, client, professional = appointment.clinic, appointment.client, appointment.professional
    service_name = appointment.service.name if appointment.service else _l("Session")
    invite = mail.calendar_event(
        "REQUEST", appointment.uid, appointment.sequence, appointment.starts_at, appointment.ends_at,
        summary=f"{service_name} – {clinic.name}", organizer_email=professional.email,
        attendee_email=client.email)
    context = dict(clinic=clinic, client=client, professional=professional, appointment=appointment,
                   service_name=service_name, ics=invite)
    mail.queue(client.email, "session_booked_client",
               _l("Your session with %(clinic)s is booked", clinic=clinic.name),
               client.language or clinic.default_language, **context)
    mail.queue(professional.email, "session_booked_professional",
               _l("Session booked with %(name)s", name=client.name),
               clinic.default_language, **context)

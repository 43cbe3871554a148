"""The professional's calendar subscription (sync out): a private iCalendar address to add to Google
Calendar, Outlook or Apple Calendar. It lists their sessions under the same UIDs and SEQUENCE numbers as
the emailed invitations, so a calendar that has both shows one event; a cancelled one stays, marked
STATUS:CANCELLED, so subscribed calendars drop it. Clients appear as initials unless the professional
chooses full names: a synced phone calendar is often shown to others."""

import datetime

import icalendar
from peewee import JOIN

from .models import Appointment, Client, Professional, Service, utcnow
from .states import SessionStatus

# How far back the feed goes: enough for last month's notes, small enough to stay a quick download.
HISTORY = datetime.timedelta(days=90)
# How often calendar apps are asked to fetch it again (they may choose to wait longer).
REFRESH = datetime.timedelta(minutes=30)


def replace_feed(professional):
    """A new subscription address; the old one stops working at once."""
    Professional.update(feed_version=Professional.feed_version + 1).where(Professional.id == professional.id).execute()


def set_full_names(professional, full_names):
    Professional.update(feed_full_names=full_names).where(Professional.id == professional.id).execute()


def initials(name):
    """ "Sam Rivera" -> "S. R.": enough for the professional to know whom, not for a passer-by."""
    words = [word for word in name.split() if word[:1].isalnum()]
    return " ".join(f"{word[0].upper()}." for word in words[:3]) or "?"


def feed(professional, now=None):
    """The iCalendar document (bytes) of the professional's sessions from HISTORY ago on: one query. A client's
    hold is not there until it is confirmed, and one that lapsed never is."""
    now = now or utcnow()
    sessions = (
        Appointment.select(Appointment, Client, Service)
        .join(Client, on=(Appointment.client == Client.id))
        .switch(Appointment)
        .join(Service, on=(Appointment.service == Service.id), join_type=JOIN.LEFT_OUTER)
        .where(
            Appointment.professional == professional.id,
            Appointment.starts_at >= now - HISTORY,
            Appointment.status.not_in([SessionStatus.HELD, SessionStatus.RELEASED]),
        )
        .order_by(Appointment.starts_at)
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Frontdesk//Calendar subscription//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{professional.clinic.name} – Frontdesk")
    calendar.add("x-wr-timezone", professional.clinic.timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    stamp = now.replace(tzinfo=datetime.timezone.utc)
    for session in sessions:
        calendar.add_component(_event(session, professional.feed_full_names, stamp))
    return calendar.to_ical()


def _event(session, full_names, stamp):
    utc = datetime.timezone.utc
    event = icalendar.Event()
    event.add("uid", session.uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.replace(tzinfo=utc))
    event.add("dtend", session.ends_at.replace(tzinfo=utc))
    who = session.client.name if full_names else initials(session.client.name)
    what = session.service.name if session.service else ""
    event.add("summary", f"{who} – {what}" if what else who)
    cancelled = session.status == SessionStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    event.add("class", "PRIVATE")
    return event

"""iCalendar attachments: one event per session, added or moved with REQUEST, removed with CANCEL
under the same UID. Each reader gets their own: an invitation says no more than the email it rides on."""

import datetime

import icalendar

from ..models import utcnow


def calendar_event(
    method, uid, sequence, start, end, summary, organizer_email, attendee_email, description="", location="", url=""
):
    """An iCalendar object with one event: METHOD REQUEST to add or move it, CANCEL to remove it.
    `attendee_email` may be None: an invitation to the organizer themselves names nobody else."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Frontdesk//Sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", utcnow().replace(tzinfo=datetime.timezone.utc))
    event.add("dtstart", start.replace(tzinfo=datetime.timezone.utc))
    event.add("dtend", end.replace(tzinfo=datetime.timezone.utc))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("organizer", f"mailto:{organizer_email}")
    if attendee_email:  # the client's own invitation; a client with a phone number only has no address
        event.add("attendee", f"mailto:{attendee_email}")
    calendar.add_component(event)
    return calendar

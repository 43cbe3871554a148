"""When a session's reminder is due, in plain Python (no Flask, no database), like booking.py.

A clinic sends one or two reminders, each a number of hours before a session. Each reminder is a
"slot" ("first", "second") so that changing the hours later never sends the same reminder twice.
"""

import datetime

FIRST = "first"
SECOND = "second"

# The longest reminder a clinic may choose: the mail worker reads the sessions this far ahead.
MAX_REMINDER_HOURS = 7 * 24

# The daily agenda of tomorrow's sessions goes out from this hour of the clinic's evening.
AGENDA_HOUR = 18


def reminder_slots(first_hours, second_hours):
    """[(slot, timedelta)] nearest the session first; a missing, zero or repeated number of hours adds none."""
    slots = {}
    for slot, hours in ((FIRST, first_hours), (SECOND, second_hours)):
        if hours and 0 < hours <= MAX_REMINDER_HOURS and hours not in slots.values():
            slots[slot] = hours
    return sorted(((slot, datetime.timedelta(hours=h)) for slot, h in slots.items()), key=lambda s: s[1])


def reminder_due(starts_at, booked_at, now, slots, sent, remind_late_bookings=False):
    """The one slot to send now, or None.

    A slot is due from `offset` before the start until the start. A session booked after that moment gets
    no reminder of it, unless the clinic reminds late bookings: then the nearest slot it was booked
    inside is sent at once. Of several slots due together (a worker that was down, a late booking) only
    the nearest the session is sent, and once it has gone the earlier ones never are: one reminder is
    enough, and never an older one after a newer one."""
    if now >= starts_at:
        return None
    for slot, offset in slots:  # nearest the session first
        due_at = starts_at - offset
        if slot in sent:
            return None
        if now < due_at:
            continue
        if booked_at <= due_at or remind_late_bookings:
            return slot
        return None
    return None


def agenda_day(local_now):
    """The day whose agenda is due at this local time of the clinic, or None before the evening."""
    if local_now.hour < AGENDA_HOUR:
        return None
    return local_now.date() + datetime.timedelta(days=1)

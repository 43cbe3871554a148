"""The busy times in an iCalendar document: plain Python (icalendar and recurring-ical-events), no Flask,
no network. Only start and end leave this module; what an event is (its title, place, attendees) is never
read out of the document, so it cannot be stored.

Busy means an event that is neither cancelled (STATUS:CANCELLED, also one occurrence of a series
cancelled by its own RECURRENCE-ID) nor marked free (TRANSP:TRANSPARENT). Recurring events are expanded
by recurring-ical-events, with their exceptions (EXDATE, moved occurrences). An all-day event is busy from
midnight to midnight in the professional's time zone, and so is a time without a zone ("floating").
"""

import datetime
import zoneinfo

import icalendar
import recurring_ical_events

# Occurrences read from one calendar at most, the nearest first (busy or not): a rule repeating every minute
# would otherwise expand to a million. Ten thousand is a weekly series a day for the two years ahead.
MAX_OCCURRENCES = 10_000
CHUNK = datetime.timedelta(days=7)


class NotACalendar(ValueError):
    """The document is not iCalendar, or a part of it that matters cannot be read."""


def busy_times(document, timezone, first, last):
    """Sorted UTC (start, end) pairs, naive like every stored time, of the busy events overlapping the UTC
    instants [first, last), for a professional in `timezone`; overlapping and touching ones are merged."""
    zone = zoneinfo.ZoneInfo(timezone)
    try:
        calendar = icalendar.Calendar.from_ical(document)
    except ValueError:
        raise NotACalendar from None
    if calendar.name != "VCALENDAR":
        raise NotACalendar
    utc = datetime.timezone.utc
    query = recurring_ical_events.of(calendar, skip_bad_series=True)
    busy, read, start = [], 0, first
    try:
        # A week at a time, the nearest first, so that a rule repeating every minute is cut off after a week's
        # worth rather than expanded to the end (an event across a week's edge comes twice: merged below).
        while start < last and read < MAX_OCCURRENCES:
            stop = min(start + CHUNK, last)
            for event in query.between(start.replace(tzinfo=utc), stop.replace(tzinfo=utc))[: MAX_OCCURRENCES - read]:
                read += 1
                begins, ends = _instant(event.get("DTSTART"), zone), _instant(event.get("DTEND"), zone)
                if begins is not None and ends is not None and begins < ends and _is_busy(event):
                    busy.append((begins, ends))
            start = stop
    except (ValueError, TypeError, KeyError, ArithmeticError) as error:
        raise NotACalendar from error
    return merged(busy)


def merged(intervals):
    """The union of (start, end) intervals as sorted, disjoint ones."""
    union = []
    for start, end in sorted(intervals):
        if union and start <= union[-1][1]:
            union[-1] = (union[-1][0], max(union[-1][1], end))
        else:
            union.append((start, end))
    return union


def _is_busy(event):
    status = str(event.get("STATUS", "")).upper()
    transparency = str(event.get("TRANSP", "OPAQUE")).upper()
    return status != "CANCELLED" and transparency != "TRANSPARENT"


def _instant(prop, zone):
    """A DTSTART or DTEND as a naive UTC datetime: a date is its midnight in `zone`, as is a floating time."""
    if prop is None:
        return None
    value = prop.dt
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(datetime.timezone.utc).replace(tzinfo=None)

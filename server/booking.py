"""The booking rules, in plain Python over plain values: no Flask, no database.

Blueprints and the command line call these and never re-decide a rule. Datetimes passed in and out
are naive UTC unless a name says `local`.
"""
import datetime
from zoneinfo import ZoneInfo


class BookingError(Exception):
    """A booking that the rules refuse; `code` tells the caller which message to show."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


NONEXISTENT_TIME = "nonexistent_time"  # skipped by a daylight-saving change
IN_THE_PAST = "in_the_past"
OVERLAP = "overlap"
BAD_DURATION = "bad_duration"


def local_to_utc(day, time_of_day, timezone):
    """The UTC instant of a wall-clock time in `timezone`.

    A time skipped when clocks go forward does not exist and is refused; a time that happens twice
    when clocks go back means the first of the two, as people read it.
    """
    zone = ZoneInfo(timezone)
    local = datetime.datetime.combine(day, time_of_day).replace(tzinfo=zone, fold=0)
    as_utc = local.astimezone(datetime.timezone.utc)
    if as_utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise BookingError(NONEXISTENT_TIME)
    return as_utc.replace(tzinfo=None)


def utc_to_local(moment, timezone):
    """An aware datetime in `timezone` for a naive UTC one."""
    return moment.replace(tzinfo=datetime.timezone.utc).astimezone(ZoneInfo(timezone))


def overlaps(start_a, end_a, start_b, end_b):
    """Half-open intervals: a session ending at 10:00 does not clash with one starting at 10:00."""
    return start_a < end_b and start_b < end_a


def session_times(start, duration_minutes, now):
    """Check a new session's start and length; return (start, end)."""
    if duration_minutes <= 0 or duration_minutes > 24 * 60:
        raise BookingError(BAD_DURATION)
    if start <= now:
        raise BookingError(IN_THE_PAST)
    return start, start + datetime.timedelta(minutes=duration_minutes)


def check_free(start, end, booked):
    """Refuse a session overlapping any (start, end) of the professional's booked sessions."""
    if any(overlaps(start, end, b_start, b_end) for b_start, b_end in booked):
        raise BookingError(OVERLAP)

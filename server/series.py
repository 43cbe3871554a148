"""Weekly series, in plain Python over plain values: no Flask, no database.

A series is a rule (a first day, a wall-clock time, every 1–4 weeks, for a number of sessions or until a
date) that becomes a list of local days, and each day a session checked like any other. The time is kept
on the clinic's wall clock, so 09:00 stays 09:00 when daylight saving starts or ends; a day on which that
time does not exist (clocks going forward) is marked for the professional to move or skip, never shifted
silently. Datetimes in and out are naive UTC unless a name says `local`.
"""

import datetime
from dataclasses import dataclass

from . import booking

MOST_WEEKS_APART = 4
FEWEST_SESSIONS, MOST_SESSIONS = 2, 52

# Refusal codes of a rule (refusals.PROFESSIONAL words them), and the two marks a preview adds to booking's.
BAD_INTERVAL = "series_bad_interval"
BAD_COUNT = "series_bad_count"
NO_END = "series_no_end"  # neither a number of sessions nor a last date
UNTIL_BEFORE_FIRST = "series_until_before_first"
NOTHING_CHOSEN = "series_nothing_chosen"  # every occurrence skipped
TIME_OFF = "time_off"  # the professional is away that day: marked, left to the professional
# What stops an occurrence from being booked at all; time off only warns (the professional may book any free time).
REFUSED = frozenset(
    {booking.OVERLAP, booking.NONEXISTENT_TIME, booking.IN_THE_PAST, booking.BEYOND_HORIZON, booking.BAD_DURATION}
)


class SeriesError(ValueError):
    """A rule that cannot make a series; `code` tells the caller which message to show."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def days(first_day, weeks_apart, today, count=None, until=None):
    """The local days of a series: `count` sessions, or every one up to `until` (inclusive), `weeks_apart`
    weeks apart, none beyond the furthest anyone may book from `today`."""
    if not 1 <= weeks_apart <= MOST_WEEKS_APART:
        raise SeriesError(BAD_INTERVAL)
    step = datetime.timedelta(weeks=weeks_apart)
    last_allowed = today + booking.FURTHEST_AHEAD
    if count is not None:
        if not FEWEST_SESSIONS <= count <= MOST_SESSIONS:
            raise SeriesError(BAD_COUNT)
        result = [first_day + step * n for n in range(count)]
    elif until is not None:
        if until < first_day:
            raise SeriesError(UNTIL_BEFORE_FIRST)
        result = [first_day + step * n for n in range((until - first_day) // step + 1)]
    else:
        raise SeriesError(NO_END)
    if result[-1] > last_allowed:
        raise SeriesError(booking.BEYOND_HORIZON)
    return result


@dataclass(frozen=True)
class Occurrence:
    """One session of a series as planned: its local day and time, its UTC start and end when that wall-clock
    time exists, whether it is to be booked, and what is in the way ("" when nothing)."""

    day: datetime.date
    time: datetime.time
    start: datetime.datetime | None
    end: datetime.datetime | None
    chosen: bool
    problem: str = ""

    @property
    def refused(self):
        return self.chosen and self.problem in REFUSED


def _problem(start, end, day, booked, time_off):
    if any(booking.overlaps(start, end, b_start, b_end) for b_start, b_end in booked):
        return booking.OVERLAP
    if any(first <= day <= last for first, last in time_off):
        return TIME_OFF
    return ""


def plan(rows, duration_minutes, timezone, now, booked, time_off, default_choice=False):
    """Check each (day, time, chosen) row, in order: `booked` are the professional's sessions as UTC (start, end),
    `time_off` their (first_day, last_day) away. A chosen occurrence counts as booked for the ones after it, so
    two moved onto one time collide. With `default_choice`, `chosen` is ignored and every occurrence with
    nothing in its way is chosen (the first showing of a preview)."""
    taken = list(booked)
    planned = []
    for day, time_of_day, chosen in rows:
        try:
            start, end = booking.session_times(booking.local_to_utc(day, time_of_day, timezone), duration_minutes, now)
        except booking.BookingError as error:
            start = end = None
            problem = error.code
        else:
            problem = _problem(start, end, day, taken, time_off)
        if default_choice:
            chosen = not problem
        if chosen and start is not None:
            taken.append((start, end))
        planned.append(Occurrence(day, time_of_day, start, end, chosen, problem))
    return planned


def bookable(planned):
    """The UTC starts to book, or raise booking.BookingError with the first chosen occurrence's refusal; an
    empty choice is a series of nothing, refused too."""
    refused = next((o for o in planned if o.refused), None)
    if refused is not None:
        raise booking.BookingError(refused.problem)
    starts = [o.start for o in planned if o.chosen]
    if not starts:
        raise SeriesError(NOTHING_CHOSEN)
    return starts

"""A professional's free slots, from their working hours, time off, booked sessions, the busy times of their
external calendars (calendar_sync.py) and booking rules (buffer, notice, horizon) on the clinic's slot grid.
The pages that offer slots and the checks on a client's booking both ask free_slots, so a client can take
exactly what a page offers."""

import datetime

from peewee import fn

from . import booking, calendar_sync
from .db import CompiledQuery
from .models import Appointment, Professional, TimeOff, WorkingHours, utcnow
from .states import SessionStatus

DAYS_SHOWN = 14  # how far ahead a client sees slots at a time


def calendar_changed(*professionals):
    """Say that what these professionals' free slots come from has changed (a session, a hold, hours, time off,
    external busy times): booking pages rendered before are out of date (client/booking_pages.py keeps them
    under the version). Call it inside the change's transaction, so no page is read at the new version before
    the change is; on PostgreSQL the UPDATE also locks each professional's row until the transaction ends."""
    ids = [getattr(p, "id", p) for p in professionals]
    if ids:
        Professional.update(calendar_version=Professional.calendar_version + 1).where(
            Professional.id.in_(ids)
        ).execute()


def pages_of_days(text, today, horizon_days):
    """(first, previous, following): the first day of the slots a client page shows, from its
    ?from=YYYY-MM-DD, and the first days of the pages before and after it (None where there is none).

    Pages start no earlier than today (in the clinic's time) and no later than the professional's horizon,
    which also keeps a mistyped year 9999 from overflowing the date arithmetic.
    """
    last_start = today + datetime.timedelta(days=horizon_days)
    try:
        first = min(max(datetime.date.fromisoformat(text or ""), today), last_start)
    except ValueError:
        first = today
    step = datetime.timedelta(days=DAYS_SHOWN)
    previous = max(first - step, today) if first > today else None
    following = first + step if first + step <= last_start else None
    return first, previous, following


def last_day_offered(now, professional):
    """The last local day a client may book with the professional: today plus their horizon."""
    today = booking.utc_to_local(now, professional.clinic.timezone).date()
    return today + datetime.timedelta(days=professional.horizon_days)


# The queries every booking page and booking check runs (db.CompiledQuery: SQL built once).
_HOURS = CompiledQuery(lambda professional: WorkingHours.select().where(WorkingHours.professional == professional))
_TIME_OFF = CompiledQuery(
    lambda professional, first_day, last_day: (
        TimeOff.select(TimeOff.first_day, TimeOff.last_day)
        .where(TimeOff.professional == professional, TimeOff.last_day >= first_day, TimeOff.first_day <= last_day)
        .tuples()
    )
)


def _booked(professional, now, first, last):
    return (
        Appointment.select(Appointment.starts_at, Appointment.ends_at)
        .where(
            Appointment.professional == professional,
            holding(now),
            Appointment.starts_at < last,
            Appointment.ends_at > first,
        )
        .tuples()
    )


_BOOKED = CompiledQuery(_booked)


def weekly_hours(professional):
    hours = {}
    for row in _HOURS.all(professional.id):
        hours.setdefault(row.weekday, []).append((row.opens, row.closes))
    return hours


def time_off(professional, first_day, last_day):
    """(first_day, last_day) of the professional's time off that touches these local dates."""
    return _TIME_OFF.all(professional.id, first_day, last_day)


def holding(now):
    """booking.holds_slot in SQL: booked sessions, and holds that have not lapsed. A lapsed hold frees its time
    here, at once, whether or not the mail worker has released it yet."""
    return (Appointment.status == SessionStatus.BOOKED) | (
        (Appointment.status == SessionStatus.HELD) & (Appointment.hold_until > now)
    )


def next_hold_lapse(professional, now):
    """When the professional's first hold still holding its time lapses (None without one): its slot is free
    from then, with nothing written (holding)."""
    return (
        Appointment.select(fn.MIN(Appointment.hold_until))
        .where(
            Appointment.professional == professional,
            Appointment.status == SessionStatus.HELD,
            Appointment.hold_until > now,
        )
        .scalar()
    )


def booked_times(professional, first, last, exclude=None, now=None):
    """UTC (start, end) of the professional's sessions holding their time `now` (by default, now) between two
    instants."""
    if exclude is None:
        return _BOOKED.all(professional.id, now or utcnow(), first, last)
    return list(_booked(professional, now or utcnow(), first, last).where(Appointment.id != exclude.id))


def _rules(professional):
    """The keyword arguments of booking.free_slots that the professional and their clinic have chosen."""
    return dict(
        grid_minutes=professional.clinic.slot_grid_minutes,
        min_notice=datetime.timedelta(minutes=professional.notice_minutes),
        buffer=datetime.timedelta(minutes=professional.buffer_minutes),
    )


def slots(professional, duration_minutes, first_day, now, days=DAYS_SHOWN, exclude=None):
    """Free (start, end) UTC slots for a session this long from `first_day` (local) for `days` days, up to
    the professional's horizon. `exclude` leaves one session out of the booked times, so a session being moved does not
    block its own neighbourhood."""
    timezone = professional.clinic.timezone
    last_day = min(first_day + datetime.timedelta(days=days - 1), last_day_offered(now, professional))
    buffer = datetime.timedelta(minutes=professional.buffer_minutes)
    # UTC bounds wide enough for any timezone's offset and the buffer.
    window_start = datetime.datetime.combine(first_day, datetime.time()) - datetime.timedelta(days=1) - buffer
    window_end = datetime.datetime.combine(last_day, datetime.time()) + datetime.timedelta(days=2) + buffer
    return booking.free_slots(
        first_day,
        last_day,
        weekly_hours(professional),
        time_off(professional, first_day, last_day),
        duration_minutes,
        timezone,
        booked_times(professional, window_start, window_end, exclude, now),
        now,
        busy=calendar_sync.busy_between(professional, window_start, window_end),
        **_rules(professional),
    )


def nearest_slots(professional, duration_minutes, start, now, count=6):
    """The `count` free slots closest to `start` (UTC) within a week either side, in time order: what a
    client is offered when the time they chose was just taken."""
    timezone = professional.clinic.timezone
    today = booking.utc_to_local(now, timezone).date()
    first_day = max(booking.utc_to_local(start, timezone).date() - datetime.timedelta(days=7), today)
    found = slots(professional, duration_minutes, first_day, now)
    return sorted(sorted(found, key=lambda slot: abs(slot[0] - start))[:count])


def is_free_slot(professional, duration_minutes, start, now, exclude=None):
    """Whether `start` (UTC) is one of the slots a client is offered for a session this long: inside
    working hours and the horizon, on the grid, not on time off, with enough notice, and free with its
    buffer around it."""
    timezone = professional.clinic.timezone
    local = booking.utc_to_local(start, timezone).replace(tzinfo=None)
    day = local.date()
    if day > last_day_offered(now, professional):
        return False
    end = start + datetime.timedelta(minutes=duration_minutes)
    offered = booking.free_slots(
        day,
        day,
        weekly_hours(professional),
        time_off(professional, day, day),
        duration_minutes,
        timezone,
        [],
        now,
        busy=calendar_sync.busy_between(professional, start, end),
        starting=local,
        **_rules(professional),
    )
    buffer = datetime.timedelta(minutes=professional.buffer_minutes)
    # Only the sessions around this one slot, not the whole day's.
    return (start, end) in offered and not booked_times(professional, start - buffer, end + buffer, exclude, now)

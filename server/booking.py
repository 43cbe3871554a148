"""The booking rules, in plain Python over plain values: no Flask, no database.

Blueprints and the command line call these and never re-decide a rule. Datetimes passed in and out
are naive UTC unless a name says `local`.
"""

import bisect
import datetime
import itertools
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from .states import Channel, ChargeStatus, RequestStatus, SessionStatus


class BookingError(Exception):
    """A booking that the rules refuse; `code` tells the caller which message to show."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


NONEXISTENT_TIME = "nonexistent_time"  # skipped by a daylight-saving change
IN_THE_PAST = "in_the_past"
OVERLAP = "overlap"
BAD_DURATION = "bad_duration"
NOT_OFFERED = "not_offered"  # a client may only book or move to a time their page offers
TOO_MANY_UPCOMING = "too_many_upcoming"  # one email holds as many self-booked sessions as a clinic allows
TOO_MANY_FROM_HERE = "too_many_from_here"  # one network or link booked as many as it may for now
BEYOND_HORIZON = "beyond_horizon"  # further ahead than a client's page goes, or than anyone books


def local_to_utc(day, time_of_day, timezone):
    """The UTC instant of a wall-clock time in `timezone`.

    A time skipped when clocks go forward does not exist and is refused; a time that happens twice
    when clocks go back means the first of the two, as people read it.
    """
    zone = ZoneInfo(timezone)
    local = datetime.datetime.combine(day, time_of_day).replace(tzinfo=zone, fold=0)
    try:
        as_utc = local.astimezone(datetime.timezone.utc)
    except OverflowError:  # the last hours of year 9999 east or west of UTC
        raise BookingError(BEYOND_HORIZON) from None
    if as_utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise BookingError(NONEXISTENT_TIME)
    return as_utc.replace(tzinfo=None)


def utc_to_local(moment, timezone):
    """An aware datetime in `timezone` for a naive UTC one."""
    return moment.replace(tzinfo=datetime.timezone.utc).astimezone(ZoneInfo(timezone))


def overlaps(start_a, end_a, start_b, end_b):
    """Half-open intervals: a session ending at 10:00 does not clash with one starting at 10:00."""
    return start_a < end_b and start_b < end_a


# The longest session a service may have (ten hours); a longer one is a mistyped duration.
LONGEST_SESSION_MINUTES = 600
# How far ahead anyone, the team included, may book: a session in 2099 or 9999 is a mistyped year.
FURTHEST_AHEAD = datetime.timedelta(days=2 * 366)


def session_times(start, duration_minutes, now):
    """Check a new session's start and length; return (start, end)."""
    if duration_minutes <= 0 or duration_minutes > LONGEST_SESSION_MINUTES:
        raise BookingError(BAD_DURATION)
    if start <= now:
        raise BookingError(IN_THE_PAST)
    if start > now + FURTHEST_AHEAD:
        raise BookingError(BEYOND_HORIZON)
    return start, start + datetime.timedelta(minutes=duration_minutes)


def check_free(start, end, booked):
    """Refuse a session overlapping any (start, end) of the professional's booked sessions."""
    if any(overlaps(start, end, b_start, b_end) for b_start, b_end in booked):
        raise BookingError(OVERLAP)


# --- Who may change a session, and what it costs -------------------------------------------------

HUB_LATE_HOURS = 24  # a Wellbeing Hub session cancelled with less notice is a late cancellation

NOT_BOOKED = "not_booked"  # cancelled already (or rescheduled)
STARTED = "started"  # a client cannot change a session that has started or ended
NOT_HUB = "not_hub"  # only hub sessions may be rescheduled by the client
NOT_STARTED = "not_started"  # a no-show can only be marked once the session has started
NO_SHOW_RECORDED = "no_show_recorded"  # and only once


def late_window_hours(channel, policy_hours):
    """Notice below which a cancellation is late: 24 h in hubs, the clinic's own policy elsewhere."""
    return HUB_LATE_HOURS if channel == Channel.HUB else policy_hours


def notice(start, now):
    """How long before the session the change is made."""
    return start - now


def is_late(channel, policy_hours, start, now):
    return notice(start, now) < datetime.timedelta(hours=late_window_hours(channel, policy_hours))


def shows_penalty_warning(channel, policy_hours):
    """A clinic whose policy is longer than 24 h warns clients that a penalty may apply."""
    return late_window_hours(channel, policy_hours) > HUB_LATE_HOURS


def check_client_cancel(status, start, now):
    if status != SessionStatus.BOOKED:
        raise BookingError(NOT_BOOKED)
    if now >= start:
        raise BookingError(STARTED)


def check_client_reschedule(channel, status, start, now):
    check_client_cancel(status, start, now)
    if channel != Channel.HUB:
        raise BookingError(NOT_HUB)


def check_professional_change(status, end, now, no_show=False):
    """The professional may cancel or move any booked session that has not ended, unless the client is
    recorded as not having come: that session happened as far as charges go, and cancelling it would
    tell the client it was called off."""
    if status != SessionStatus.BOOKED:
        raise BookingError(NOT_BOOKED)
    if no_show:
        raise BookingError(NO_SHOW_RECORDED)
    if now >= end:
        raise BookingError(STARTED)


def check_no_show(status, start, now, recorded=False):
    if status != SessionStatus.BOOKED:
        raise BookingError(NOT_BOOKED)
    if recorded:
        raise BookingError(NO_SHOW_RECORDED)
    if now < start:
        raise BookingError(NOT_STARTED)


# --- Free slots ----------------------------------------------------------------------------------


GRIDS = (15, 30, 60)  # the slot grids a clinic may choose, in minutes from the hour
DEFAULT_GRID = 30
LONGEST_BUFFER_MINUTES = 240
LONGEST_NOTICE_MINUTES = 60 * 24 * 90
LONGEST_HORIZON_DAYS = 730

PERIOD_ORDER = "period_order"  # a working period that ends before it starts
PERIODS_OVERLAP = "periods_overlap"  # two working periods of one day overlap


def check_periods(periods):
    """Refuse one day's (opens, closes) working periods when one ends before it starts or two overlap
    (touching is fine: 09:00–12:00 then 12:00–17:00)."""
    if any(closes <= opens for opens, closes in periods):
        raise BookingError(PERIOD_ORDER)
    ordered = sorted(periods)
    if any(later[0] < earlier[1] for earlier, later in zip(ordered, ordered[1:])):
        raise BookingError(PERIODS_OVERLAP)


def _grid_starts(day, opens, closes, length, grid):
    """Local wall-clock starts of one working period: on the grid counted from midnight (so from every
    hour), from the first grid line at or after `opens`, while the session still ends by `closes`."""
    midnight = datetime.datetime.combine(day, datetime.time())
    minute = -(-(opens.hour * 60 + opens.minute) // grid) * grid
    local = midnight + datetime.timedelta(minutes=minute)
    closing = datetime.datetime.combine(day, closes)
    step = datetime.timedelta(minutes=grid)
    while local + length <= closing:
        yield local
        local += step


def free_slots(
    first_day,
    last_day,
    weekly_hours,
    time_off,
    duration_minutes,
    timezone,
    booked,
    now,
    grid_minutes=DEFAULT_GRID,
    min_notice=datetime.timedelta(hours=1),
    buffer=datetime.timedelta(0),
    busy=(),
    starting=None,
):
    """Bookable (start, end) pairs in UTC between two local dates, inclusive.

    `weekly_hours` maps a weekday (0 = Monday) to local (opens, closes) periods; `time_off` lists
    (first_date, last_date) ranges; `booked` lists UTC (start, end) pairs already taken, and `buffer`
    is kept free on both sides of each; `busy` lists UTC (start, end) pairs the professional is busy
    elsewhere (their external calendars), which no slot overlaps, with no buffer: that break is kept
    around sessions, not around what the professional does in their own calendar. Slots start on a grid
    of `grid_minutes` of the local wall clock (9:00, 9:30, 10:00 rather than 9:00, 9:50, 10:40), so 09:00
    stays 09:00 across a daylight-saving change; a start the clocks skip is left out, as is any start
    sooner than `min_notice` from now. `starting`: only the slot starting at this local wall-clock time, if it
    is one (a booking's check asks about one slot, not a day's hundred).
    """
    length = datetime.timedelta(minutes=duration_minutes)
    taken, elsewhere = _Taken(booked), _Taken(busy)
    earliest = now + min_notice
    slots = []
    day = first_day
    while day <= last_day:
        if not any(off_first <= day <= off_last for off_first, off_last in time_off):
            for opens, closes in sorted(weekly_hours.get(day.weekday(), [])):
                for local in _grid_starts(day, opens, closes, length, grid_minutes):
                    if starting is not None and local != starting:
                        continue
                    try:
                        start = local_to_utc(day, local.time(), timezone)
                    except BookingError:
                        continue
                    end = start + length
                    if (
                        start >= earliest
                        and not taken.overlaps(start - buffer, end + buffer)
                        and not elsewhere.overlaps(start, end)
                    ):
                        slots.append((start, end))
        day += datetime.timedelta(days=1)
    return slots


def slots_unchanged_until(slots, now, min_notice, timezone, next_hold_lapse=None):
    """The instant until which the free slots found at `now` stay the answer, if nothing is written meanwhile:
    the first one falling inside the notice, the clinic's next day (today and the horizon move on), or the
    next hold lapsing (its time is free from then), whichever comes first."""
    zone = ZoneInfo(timezone)
    tomorrow = utc_to_local(now, timezone).date() + datetime.timedelta(days=1)
    # A midnight the clocks skip reads as the moment they jump: where the day really starts.
    day_turns = datetime.datetime.combine(tomorrow, datetime.time(), tzinfo=zone).astimezone(datetime.timezone.utc)
    moments = [day_turns.replace(tzinfo=None)]
    if slots:
        moments.append(min(start for start, _ in slots) - min_notice)
    if next_hold_lapse is not None:
        moments.append(next_hold_lapse)
    return min(moments)


class _Taken:
    """Booked (start, end) pairs, asked about many candidate slots: O(log n) a question rather than a
    scan of every booking, so a full diary does not make each page of slots quadratic."""

    def __init__(self, booked):
        ordered = sorted(booked)
        self.starts = [start for start, _ in ordered]
        # latest_end[i]: the latest end among the first i + 1 bookings by start.
        self.latest_end = list(itertools.accumulate((end for _, end in ordered), max))

    def overlaps(self, start, end):
        """Whether any booking starts before `end` and ends after `start` (half-open, as overlaps())."""
        before_end = bisect.bisect_left(self.starts, end)
        return before_end > 0 and self.latest_end[before_end - 1] > start


# --- What a client may do ------------------------------------------------------------------------


def _refusal(check, *args):
    """The code `check` raises for these values, or None when it allows them."""
    try:
        check(*args)
    except BookingError as error:
        return error.code
    return None


def check_self_booked_holds(upcoming, allowed):
    """A client booking for themselves may hold `allowed` upcoming self-booked sessions at a clinic, no more."""
    if upcoming >= allowed:
        raise BookingError(TOO_MANY_UPCOMING)


def check_client_start(start, now, last_day_local, timezone):
    """A client books or moves to a future time no later than the last day their page shows."""
    if start <= now:
        raise BookingError(IN_THE_PAST)
    if utc_to_local(start, timezone).date() > last_day_local:
        raise BookingError(BEYOND_HORIZON)


@dataclass(frozen=True)
class ClientPermissions:
    """What a client may do with one session now, and why not: templates show this, never decide it.

    `cancel_refused` and `reschedule_refused` are refusal codes (None when allowed); `late`, `late_window`
    and `penalty_warning` say what cancelling now would mean."""

    cancel_refused: str | None
    reschedule_refused: str | None
    is_cancelled: bool
    was_moved: bool
    new_session_open: bool  # moved, and the session it moved to is still booked
    late: bool
    late_window: int
    penalty_warning: bool

    @property
    def may_cancel(self):
        return self.cancel_refused is None

    @property
    def may_reschedule(self):
        return self.reschedule_refused is None


def client_permissions(
    channel, status, start, now, policy_hours, moved=False, moved_to_booked=False, link_current=True
):
    """What the client may do with a session in `status` starting at `start`, through a link that is
    current (or, once the session changed, one that no longer acts). `moved`: it was rescheduled, to a
    session still booked if `moved_to_booked`."""
    if link_current:
        cancel_refused = _refusal(check_client_cancel, status, start, now)
        reschedule_refused = _refusal(check_client_reschedule, channel, status, start, now)
    else:
        cancel_refused = reschedule_refused = NOT_BOOKED
    return ClientPermissions(
        cancel_refused=cancel_refused,
        reschedule_refused=reschedule_refused,
        is_cancelled=status == SessionStatus.CANCELLED,
        was_moved=status == SessionStatus.CANCELLED and moved,
        new_session_open=status == SessionStatus.CANCELLED and moved and moved_to_booked,
        late=is_late(channel, policy_hours, start, now),
        late_window=late_window_hours(channel, policy_hours),
        penalty_warning=shows_penalty_warning(channel, policy_hours),
    )


# --- Holds: a self-booked session waiting to be confirmed from the email -------------------------

SHORTEST_HOLD_MINUTES = 10  # long enough to open an email on a phone
LONGEST_HOLD_MINUTES = 24 * 60  # a day: longer, and an unconfirmed booking keeps a slot from everyone else
DEFAULT_HOLD_MINUTES = 30
HOLD_LAPSED = "hold_lapsed"  # confirming a hold that was not confirmed in time
BAD_HOLD_MINUTES = "bad_hold_minutes"


def check_hold_minutes(minutes):
    if not SHORTEST_HOLD_MINUTES <= minutes <= LONGEST_HOLD_MINUTES:
        raise BookingError(BAD_HOLD_MINUTES)


def hold_until(now, hold_minutes):
    """When a hold made now lapses."""
    return now + datetime.timedelta(minutes=hold_minutes)


def holds_slot(status, held_until, now):
    """Whether a session keeps its time from everyone else now: a booked one does, a hold only until it lapses,
    whether or not the mail worker has released it yet (availability.booked_times asks the same in SQL)."""
    return status == SessionStatus.BOOKED or (status == SessionStatus.HELD and now < held_until)


def hold_lapsed(status, held_until, now):
    """A hold nobody confirmed in time: to be released, and too late to confirm."""
    return status == SessionStatus.HELD and now >= held_until


class HoldAnswer(StrEnum):
    """What confirming a hold from its email does."""

    CONFIRM = "confirm"  # held and still in time: it becomes a normal booked session
    ALREADY = "already"  # confirmed before (a second click): nothing more happens
    LAPSED = "lapsed"  # too late, or released: the time may be someone else's now
    GONE = "gone"  # cancelled, or anything else a hold never turns into


def confirm_answer(status, held_until, confirmed, now):
    """What a click on a hold's confirm link does to a session in `status`; `confirmed` says it was once a hold
    that was confirmed (so a booked session answers ALREADY, not GONE)."""
    if status == SessionStatus.HELD:
        return HoldAnswer.LAPSED if hold_lapsed(status, held_until, now) else HoldAnswer.CONFIRM
    if status == SessionStatus.RELEASED:
        return HoldAnswer.LAPSED
    if status == SessionStatus.BOOKED and confirmed:
        return HoldAnswer.ALREADY
    return HoldAnswer.GONE


# --- What the professional may do ----------------------------------------------------------------
# The workstation's pages offer exactly these; the checks above still refuse a stale form.


def professional_may_change(status, end, now, no_show=False):
    """Cancel or reschedule: any booked session that has not ended and is not a recorded no-show."""
    return _refusal(check_professional_change, status, end, now, no_show) is None


def professional_may_mark_no_show(status, start, now, recorded):
    return _refusal(check_no_show, status, start, now, recorded) is None


def charge_is_open(charge_status):
    """A charge decision still waiting for the professional to charge or waive it."""
    return charge_status == ChargeStatus.OPEN


def request_is_open(request_status):
    """A request on the waitlist that the professional may still accept or decline."""
    return request_status == RequestStatus.PENDING

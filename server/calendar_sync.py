"""Calendar sync in: a professional's external calendars (Google's or Outlook's secret iCalendar address),
fetched by the calendar worker (`frontdesk sync-calendars --watch`, which `frontdesk serve` runs) and never
on a page view, turned into busy times that availability.py keeps out of the slots clients are offered.

Fetching and its guard against server-side request forgery live in calendar_fetch.py, reading a document in
calendar_busy.py; this module adds and removes calendars and runs the worker's passes. A fetch that fails
keeps the busy times of the last one that worked and records why, for the professional's page.
"""

import datetime
from urllib.parse import urlsplit

from . import availability, calendar_busy, calendar_fetch
from .db import CompiledQuery, database, lock_rows
from .models import ExternalBusy, ExternalCalendar, Professional, utcnow

MAX_CALENDARS = 10  # per professional
MAX_LABEL_LENGTH = 60
# How often each calendar is fetched, and how often it is read whole even when its server says it has not
# changed (a 304 keeps the busy times, but the days ahead that they cover move on).
FETCH_EVERY = datetime.timedelta(minutes=15)
REREAD_EVERY = datetime.timedelta(days=1)
# Busy times are kept from a day back to a week past the professional's horizon.
BEHIND = datetime.timedelta(days=1)
BEYOND_HORIZON = datetime.timedelta(days=7)

# Why a calendar could not be added: refusals.EXTERNAL_CALENDAR says each to the professional.
TOO_MANY = "too_many"
ALREADY_ADDED = "already_added"


class CalendarError(Exception):
    """A calendar address refused when added: a calendar_fetch code (BAD_ADDRESS, FORBIDDEN_ADDRESS) or one
    of the codes above."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def policy(config):
    """How the worker fetches, from the app's settings (FRONTDESK_CALENDAR_FETCH_*)."""
    return calendar_fetch.Policy(
        timeout=float(config["CALENDAR_FETCH_TIMEOUT"]),
        max_bytes=int(config["CALENDAR_FETCH_MAX_BYTES"]),
        allow_loopback=bool(config["CALENDAR_FETCH_ALLOW_LOOPBACK"]),
    )


def calendars(professional):
    return list(
        ExternalCalendar.select().where(ExternalCalendar.professional == professional).order_by(ExternalCalendar.id)
    )


def calendar_or_none(professional, calendar_id):
    """The professional's own calendar with this id, or None (a colleague's or another clinic's id)."""
    return ExternalCalendar.get_or_none(
        ExternalCalendar.id == calendar_id, ExternalCalendar.professional == professional
    )


def add_calendar(professional, url, label="", allow_loopback=False):
    """Add an external calendar address; the worker fetches it on its next pass. Only the address's form is
    checked here (and a literal private address refused): the page does not wait on the network, and the
    worker checks where the name leads each time it fetches."""
    url = calendar_fetch.normalise(url)
    try:
        calendar_fetch.check_syntax(url, allow_loopback)
    except calendar_fetch.FetchError as error:
        raise CalendarError(error.code) from None
    with database.atomic():
        existing = calendars(professional)
        if len(existing) >= MAX_CALENDARS:
            raise CalendarError(TOO_MANY)
        if any(calendar.url == url for calendar in existing):
            raise CalendarError(ALREADY_ADDED)
        return ExternalCalendar.create(
            clinic=professional.clinic_id, professional=professional, url=url, label=label.strip()
        )


def remove_calendar(calendar):
    """Remove a calendar and its busy times (its slots are offered again at once)."""
    with database.atomic():
        availability.calendar_changed(calendar.professional_id)
        ExternalCalendar.delete().where(ExternalCalendar.id == calendar.id).execute()


def masked(url):
    """What a page shows of a secret address: the site, and the last few characters to tell two apart."""
    host = urlsplit(url).hostname or ""
    tail = url[-4:] if len(url) > len(host) + 16 else ""
    return f"{host}/…{tail}"


# Plain pairs: a fortnight may hold hundreds, and rows as models cost more. Built once (db.CompiledQuery).
_BUSY = CompiledQuery(
    lambda professional, first, last: (
        ExternalBusy.select(ExternalBusy.starts_at, ExternalBusy.ends_at)
        .where(ExternalBusy.professional == professional, ExternalBusy.starts_at < last, ExternalBusy.ends_at > first)
        .tuples()
    )
)


def busy_between(professional, first, last):
    """UTC (start, end) of the professional's external busy times overlapping [first, last)."""
    return _BUSY.all(professional.id, first, last)


def busy_of(professional_ids, first, last):
    """(professional id, start, end) of these professionals' external busy times overlapping [first, last),
    for the week grid: one query."""
    query = (
        ExternalBusy.select(ExternalBusy.professional, ExternalBusy.starts_at, ExternalBusy.ends_at)
        .where(
            ExternalBusy.professional.in_(list(professional_ids)),
            ExternalBusy.starts_at < last,
            ExternalBusy.ends_at > first,
        )
        .order_by(ExternalBusy.starts_at)
    )
    return [(busy.professional_id, busy.starts_at, busy.ends_at) for busy in query]


def is_busy(professional, start, end):
    """Whether an external calendar has the professional busy at any moment of [start, end): the team is
    warned when booking over it, never refused."""
    return bool(busy_between(professional, start, end))


# --- The worker ------------------------------------------------------------------------------------------


def sync_due(policy, now=None, every=FETCH_EVERY):
    """One pass: fetch every calendar of an active professional not tried within `every`, one at a time.
    Returns (fetched, failed). Several workers may run: each calendar is claimed before it is fetched."""
    now = now or utcnow()
    due = (
        ExternalCalendar.select(ExternalCalendar, Professional)
        .join(Professional)
        .where(
            Professional.is_active == True,  # noqa: E712 (peewee builds SQL from ==)
            (ExternalCalendar.attempted_at.is_null()) | (ExternalCalendar.attempted_at < now - every),
        )
        .order_by(ExternalCalendar.attempted_at.asc(nulls="first"), ExternalCalendar.id)
    )
    fetched = failed = 0
    for calendar in list(due):
        if not _claim(calendar, now):
            continue
        if sync_one(calendar, policy, now):
            fetched += 1
        else:
            failed += 1
    return fetched, failed


def _claim(calendar, now):
    """Mark the calendar as being fetched, unless another worker did since we read it."""
    unchanged = (
        ExternalCalendar.attempted_at.is_null()
        if calendar.attempted_at is None
        else ExternalCalendar.attempted_at == calendar.attempted_at
    )
    claimed = ExternalCalendar.update(attempted_at=now).where(ExternalCalendar.id == calendar.id, unchanged).execute()
    return claimed == 1


def sync_one(calendar, policy, now=None):
    """Fetch one calendar and replace its busy times; on failure keep them and record why. True on success."""
    now = now or utcnow()
    professional = calendar.professional
    reread = calendar.parsed_at is None or now - calendar.parsed_at >= REREAD_EVERY
    try:
        fetched = calendar_fetch.fetch(
            calendar.url,
            policy,
            etag="" if reread else calendar.etag,
            last_modified="" if reread else calendar.last_modified,
        )
        busy = None
        if fetched.body is not None:
            last = now + datetime.timedelta(days=professional.horizon_days) + BEYOND_HORIZON
            try:
                busy = calendar_busy.busy_times(fetched.body, professional.clinic.timezone, now - BEHIND, last)
            except calendar_busy.NotACalendar:
                raise calendar_fetch.FetchError(calendar_fetch.NOT_A_CALENDAR) from None
    except calendar_fetch.FetchError as error:
        _record(calendar, error=error.code, error_status=error.status)
        return False
    with database.atomic():
        if not lock_rows(ExternalCalendar.select().where(ExternalCalendar.id == calendar.id)).exists():
            return False  # removed while it was being fetched
        if busy is not None:
            availability.calendar_changed(professional)
            ExternalBusy.delete().where(ExternalBusy.calendar == calendar.id).execute()
            rows = [
                {"calendar": calendar.id, "professional": professional.id, "starts_at": start, "ends_at": end}
                for start, end in busy
            ]
            for batch in range(0, len(rows), 500):
                ExternalBusy.insert_many(rows[batch : batch + 500]).execute()
        _record(
            calendar,
            error="",
            error_status=None,
            synced_at=now,
            etag=fetched.etag[:255],
            last_modified=fetched.last_modified[:255],
            **({"parsed_at": now} if busy is not None else {}),
        )
    return True


def _record(calendar, **fields):
    """Write the outcome, if the calendar was not removed meanwhile."""
    ExternalCalendar.update(**fields).where(ExternalCalendar.id == calendar.id).execute()

"""Which timezone a client reads times in: the browser's, the one saved with them, or the clinic's."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import g, has_request_context, request

from .booking import utc_to_local


def valid_timezone(name):
    """`name` if it is an IANA timezone, else None (a `tz` parameter comes from the browser)."""
    try:
        ZoneInfo(name or "")
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        return None
    return name


def client_timezone(clinic, client=None):
    """Where a client reads times: the browser's (`?tz=`), else the one saved with them, else the clinic's."""
    from_browser = valid_timezone(request.args.get("tz")) if has_request_context() else None
    return from_browser or (client.timezone if client is not None and client.timezone else clinic.timezone)


def group_by_local_day(slots, timezone):
    """[(local date, [(start, end), …]), …] for slots given as UTC (start, end) pairs."""
    days = {}
    for start, end in slots:
        days.setdefault(utc_to_local(start, timezone).date(), []).append((start, end))
    return sorted(days.items())


def init_app(app):
    app.jinja_env.filters.update(groupby_local_day=group_by_local_day)
    app.jinja_env.globals.update(client_timezone=client_timezone)
    app.context_processor(_shown_timezone)


def _shown_timezone():
    """On a client page, the timezone its times are shown in."""
    clinic = g.get("frame_clinic")
    return {"shown_tz": client_timezone(clinic, g.get("page_client"))} if clinic is not None else {}

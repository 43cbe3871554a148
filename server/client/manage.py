"""Managing one session from the link in its emails: see it, cancel it, and move it where allowed.

A manage link names a session and a nonce. Any change to the session replaces the nonce, so an old
link (used, or from before a reschedule) shows the session's current state and acts no more. A link that
no longer acts (changed, cancelled, or its session over) hands out no other link either: not the moved
session's, not the dashboard's; a client who needs access asks for a fresh dashboard link by email. A week
after its session ends (links.MANAGE_GRACE) the link has expired and shows only that form.
"""

from flask import abort, current_app, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from markupsafe import escape

from .. import appointments, availability, booking, charges, links, page_cache, refusals, urls
from ..db import CompiledQuery
from ..language_choice import client_url, switching_language
from ..models import Appointment, Clinic, utcnow
from ..states import Actor, Channel, SessionStatus
from ..timezones import client_timezone
from . import bp, guard
from .context import use_page_of
from .dashboard import new_link_page
from .forms import CancelForm, SlotForm

# Refusals of a move that leave the session as it was: the client picks another time on the same page.
ANOTHER_TIME = (booking.OVERLAP, booking.IN_THE_PAST, booking.NOT_OFFERED, booking.BEYOND_HORIZON)


# One query for the session and everyone the page names, instead of one lazy load each.
_SESSION = CompiledQuery(
    lambda argument: (
        appointments.with_people(Appointment.select())
        .select_extend(Clinic)
        .switch(Appointment)
        .join(Clinic, on=(Appointment.clinic == Clinic.id))
        .where(Appointment.id == argument)
    )
)


def _open_session(token):
    """(appointment, link_is_current). An unknown or tampered token is a 404."""
    try:
        appointment_id, nonce = links.read_manage_token(current_app.config["SECRET_KEYS"], token)
    except links.InvalidLink:
        abort(404)
    appointment = _SESSION.first(appointment_id) or abort(404)
    use_page_of(appointment.clinic, appointment.client)
    if links.manage_link_expired(appointment.ends_at, utcnow()):
        expired = _l("This link has expired. Enter your email and we will send you a new one.")
        abort(make_response(new_link_page(expired, 410)))
    return appointment, nonce == appointment.manage_nonce


def _client_may(appointment, current):
    """What the client may do from this page, and why not, decided by the booking rules."""
    moved_to = appointment.rescheduled_to
    return booking.client_permissions(
        appointment.channel,
        appointment.status,
        appointment.starts_at,
        utcnow(),
        appointment.clinic.policy_hours,
        moved=moved_to is not None,
        moved_to_booked=moved_to is not None and moved_to.status == SessionStatus.BOOKED,
        link_current=current,
    )


def _notes(may):
    """The sentences under the session: why it can no longer be changed online, or only be cancelled."""
    return {
        "started_note": refusals.CLIENT[booking.STARTED] if may.cancel_refused == booking.STARTED else None,
        "not_hub_note": refusals.CLIENT[booking.NOT_HUB] if may.reschedule_refused == booking.NOT_HUB else None,
    }


def _facts(appointment, current):
    """What the session's pages show that depends on the clock and on the link, decided once a request."""
    may = _client_may(appointment, current)
    return dict(
        may=may,
        # The dashboard link is handed out only while this link still acts on a session still to come.
        link_acts=current and appointment.status == SessionStatus.BOOKED and appointment.ends_at > utcnow(),
        late_fee_cents=charges.fee_cents(appointment),
        **_notes(may),
    )


def _render(template, appointment, current, token, status=200, dashboard_url=None, **context):
    facts = _facts(appointment, current)
    if facts["link_acts"] and dashboard_url is None:
        dashboard_url = urls.dashboard_link(appointment.client)
    return render_template(
        f"client/{template}.html",
        appointment=appointment,
        clinic=appointment.clinic,
        token=token,
        dashboard_url=dashboard_url,
        **facts,
        **context,
    ), status


def _render_refused(appointment, token, code, status=409):
    """The session as it stands now, re-read, with why the change was not made."""
    appointment = Appointment.get_by_id(appointment.id)
    return _render("manage", appointment, False, token, status=status, problem=refusals.CLIENT[code])


@bp.route("/m/<token>")
def manage(token):
    """The session's page, kept rendered (page_cache) under all it is rendered from: the rows of the one query
    (and the session it was moved to), what the rules allow now, the language, the time zone and the address.
    The dashboard link, signed with the time it is handed out, is put in per view."""
    appointment, current = _open_session(token)
    facts = _facts(appointment, current)
    rows = [appointment, appointment.client, appointment.service, appointment.professional, appointment.clinic]
    if appointment.rescheduled_to_id is not None:
        rows.append(appointment.rescheduled_to)
    key = (*map(page_cache.row_key, rows), repr(facts), client_timezone(appointment.clinic, appointment.client))
    dashboard_url = str(escape(urls.dashboard_link(appointment.client))) if facts["link_acts"] else ""
    return page_cache.cached_page(
        key, lambda slot: _render("manage", appointment, current, token, dashboard_url=slot)[0], dashboard_url
    )


@bp.route("/m/<token>/cancel", methods=["GET", "POST"])
def cancel(token):
    appointment, current = _open_session(token)
    refused = _client_may(appointment, current).cancel_refused
    if refused:
        # A used or changed link, or a session under way: the page shows where the session stands, and
        # a confirmation sent anyway (a double submit, an old tab) says that nothing was changed.
        if request.method == "GET":
            return _render("manage", appointment, current, token)
        return _render("manage", appointment, current, token, status=409, problem=refusals.CLIENT[refused])
    form = CancelForm()
    if request.method == "GET":
        form.form_token.data = guard.issue(token)
        return _render("manage_cancel", appointment, current, token, form=form)
    problem, _ = guard.check(form, token, min_seconds=0)
    if problem or not form.validate():
        form.form_token.data = guard.issue(token)
        return _render("manage_cancel", appointment, current, token, status=422, form=form, problem=problem)
    try:
        cancelled = appointments.cancel(appointment, Actor.CLIENT, client_note=(form.note.data or "").strip())
    except booking.BookingError as error:
        return _render_refused(appointment, token, error.code)
    return _render("manage_done", cancelled, False, token, event="cancelled", rebook=_rebook_url(cancelled))


def _rebook_url(appointment):
    """(kind, address) of where a client who cancelled may ask again, or None for a hub session (its
    client goes back through the hub): the clinic's request form if it takes requests, else the
    professional's calendar."""
    if appointment.channel == Channel.HUB:
        return None
    keys = current_app.config["SECRET_KEYS"]
    if appointment.clinic.requests_enabled:
        return "request", client_url("client.request_form", token=links.request_token(keys, appointment.clinic))
    return "booking", client_url("client.booking_page", token=links.booking_token(keys, appointment.professional))


@bp.route("/m/<token>/reschedule", methods=["GET", "POST"])
def reschedule(token):
    appointment, current = _open_session(token)
    refused = _client_may(appointment, current).reschedule_refused
    if refused:
        return _render("manage", appointment, current, token, status=403, problem=refusals.CLIENT[refused])
    form = SlotForm()
    if request.method == "GET":
        return _render_new_times(appointment, current, token, form)
    problem, _ = guard.check(form, token, min_seconds=0)
    start = form.start_utc()
    if problem is None and start is None:
        problem = _l("Please choose a time.")
    if problem:
        return _render_new_times(appointment, current, token, form, problem)
    if not request.form.get("confirm") or switching_language():
        # A tap on a time only shows what would change; the move waits for one confirmation. The language
        # switcher posts the same form (the signed form token and the time, nothing personal) without it.
        form.form_token.data = guard.issue(token)
        duration = appointment.ends_at - appointment.starts_at
        return _render("manage_move", appointment, current, token, form=form, new_start=start, new_end=start + duration)
    try:
        old, moved = appointments.reschedule(appointment, start, Actor.CLIENT)
    except booking.BookingError as error:
        if error.code not in ANOTHER_TIME:
            # The session changed meanwhile (cancelled in another tab): show where it stands.
            return _render_refused(appointment, token, error.code)
        return _render_new_times(appointment, current, token, form, refusals.CLIENT[error.code])
    return _render("manage_done", old, False, token, event="rescheduled", moved=moved)


def _render_new_times(appointment, current, token, form, problem=None):
    """The page of free times to move the session to, with why the last choice was refused if it was."""
    today = booking.utc_to_local(utcnow(), appointment.clinic.timezone).date()
    first_day, previous_day, next_day = availability.pages_of_days(
        request.args.get("from"), today, appointment.professional.horizon_days
    )
    # Every free time but the session's own: moving it to where it already is would change nothing.
    slots = [
        slot
        for slot in availability.slots(
            appointment.professional, appointment.duration_minutes, first_day, utcnow(), exclude=appointment
        )
        if slot[0] != appointment.starts_at
    ]
    form.form_token.data = guard.issue(token)

    def page_url(day):
        return day and client_url("client.reschedule", token=token, **{"from": day.isoformat()})

    return _render(
        "manage_reschedule",
        appointment,
        current,
        token,
        status=409 if problem else 200,
        form=form,
        problem=problem,
        slots=slots,
        first_day=first_day,
        previous_url=page_url(previous_day),
        next_url=page_url(next_day),
    )

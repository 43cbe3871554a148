"""Sessions: the calendar (a time grid of a week or a day, and a month overview), one session's
details, and the professional's changes to it (cancel, reschedule, no-show)."""

import calendar
import datetime

from babel.dates import format_time, get_day_names
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from .. import appointments, booking, calendar_sync, roles, team
from ..models import Appointment, Professional, utcnow
from ..refusals import PROFESSIONAL
from ..states import Actor, Role, SessionStatus
from ..web import clinic_object_or_404, flash_expired, form_is_fresh, opened_or_404
from . import bp
from .clients_pages import apply_details_from, warn_if_busy_elsewhere
from .forms import ActionForm, RescheduleForm, SessionPlaceForm

UPCOMING_LISTED = 20
# A calendar page further from today than this is a mistyped address (and near the ends of the
# calendar the week's arithmetic would overflow): today is shown instead.
FARTHEST = datetime.timedelta(days=100 * 366)
# The hours every grid shows (local time); a session outside them adds its hour.
FIRST_HOUR, LAST_HOUR = 8, 19
# Professionals' colours (workstation.css .pro-0 … .pro-7), by their order in the clinic.
COLOURS = 8
VIEWS = ("week", "day", "month")
STALE = "stale"


def _week_start(day):
    return day - datetime.timedelta(days=day.weekday())


def _anchor_day(today):
    """The ?day= the calendar shows, or today when missing, mistyped or too far away."""
    try:
        anchor = datetime.date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return today
    return today if abs(anchor - today) > FARTHEST else anchor


def _shown_professional(professionals):
    """Whose calendar: ?who=all or a professional's id for the owner and the front desk (everyone's by
    default; an id not among `professionals`, another clinic's or a typo, too); a professional's own."""
    if not roles.sees_whole_clinic(g.professional.role):
        return g.professional  # a professional's calendar is their own (team.scope)
    who = request.args.get("who", "")
    if who == "all":
        return None
    return next((p for p in professionals if str(p.id) == who), None)


def _sessions_between(first_day, last_day, timezone, professional):
    """The sessions starting on these local days (cancelled ones too), with their people: one query on
    the (clinic, starts_at) or (professional, starts_at) index, however long the history."""
    start = booking.local_to_utc(first_day, datetime.time(), timezone) - datetime.timedelta(hours=3)
    end = booking.local_to_utc(last_day + datetime.timedelta(days=1), datetime.time(), timezone) + datetime.timedelta(
        hours=3
    )
    query = team.scope(appointments.with_people(Appointment.select()), Appointment, g.professional).where(
        Appointment.clinic == g.clinic, Appointment.starts_at >= start, Appointment.starts_at < end
    )
    if professional is not None:
        query = query.where(Appointment.professional == professional.id)
    placed = []
    for session in query.order_by(Appointment.starts_at):
        local = booking.utc_to_local(session.starts_at, timezone)
        if first_day <= local.date() <= last_day:
            placed.append((local, session))
    return placed


def _upcoming():
    """The next booked sessions, ongoing ones included. A session that has not ended began at most the longest
    session ago: saying so bounds the read to the coming sessions on a starts_at index. Without it PostgreSQL
    walked (status, starts_at) from the first session ever, expecting the unended ones to be spread
    through the years (28 ms at 100,000 sessions, 0.4 ms with the bound)."""
    now = utcnow()
    return (
        team.scope(appointments.with_people(Appointment.select()), Appointment, g.professional)
        .where(
            Appointment.clinic == g.clinic,
            Appointment.status == SessionStatus.BOOKED,
            Appointment.ends_at > now,
            Appointment.starts_at > now - datetime.timedelta(minutes=booking.LONGEST_SESSION_MINUTES),
        )
        .order_by(Appointment.starts_at)
        .limit(UPCOMING_LISTED)
    )


class Busy:
    """A busy time from a professional's external calendar, as one day's grid shows it: clipped to that day's
    hours on the grid, with nothing of what it is (Frontdesk never stores that)."""

    def __init__(self, professional_id, starts_at, ends_at):
        self.professional_id, self.starts_at, self.ends_at = professional_id, starts_at, ends_at


def _busy_between(days, timezone, professionals, shown):
    """(local start, Busy) for each visible day's part of the shown professionals' external busy times,
    within the grid's hours (an all-day event shows as busy from the first hour to the last)."""
    ids = [p.id for p in professionals] if shown is None else [shown.id]
    if not roles.sees_whole_clinic(g.professional.role):
        ids = [g.professional.id]
    first = booking.local_to_utc(days[0], datetime.time(FIRST_HOUR), timezone)
    last = booking.local_to_utc(days[-1], datetime.time(LAST_HOUR), timezone) + datetime.timedelta(hours=1)
    found = calendar_sync.busy_of(ids, first, last)
    placed = []
    for day in days:
        opens = booking.local_to_utc(day, datetime.time(FIRST_HOUR), timezone)
        closes = booking.local_to_utc(day, datetime.time(LAST_HOUR), timezone) + datetime.timedelta(hours=1)
        for professional_id, start, end in found:
            start, end = max(start, opens), min(end, closes)
            if start < end:
                placed.append((booking.utc_to_local(start, timezone), Busy(professional_id, start, end)))
    return placed


class Column:
    """One column of the grid: a day, and the professional whose sessions it holds (None: everyone's)."""

    def __init__(self, day, professional):
        self.day, self.professional = day, professional

    def holds(self, day, session):
        return day == self.day and (self.professional is None or self.professional.id == session.professional_id)


@bp.route("/sessions")
def sessions():
    """The calendar in the clinic's timezone: a week or a day as a time grid (one professional's, or
    everyone's in their colours, side by side in the day view), or a month's overview. Cancelled sessions
    stay, struck through; an empty future hour links to booking it."""
    timezone = g.clinic.timezone
    today = booking.utc_to_local(utcnow(), timezone).date()
    anchor = _anchor_day(today)
    view = request.args.get("view") if request.args.get("view") in VIEWS else "week"
    # Whoever has a calendar (the front desk has none); a deactivated member's sessions still show.
    professionals = list(g.clinic.professionals.where(Professional.role != Role.FRONT_DESK).order_by(Professional.id))
    shown = _shown_professional(professionals)
    common = dict(
        view=view,
        today=today,
        anchor=anchor,
        professionals=sorted(professionals, key=lambda p: p.name),
        colour={p.id: n % COLOURS for n, p in enumerate(professionals)},
        shown=shown,
        who="all" if shown is None else str(shown.id),
        sessions=list(_upcoming()),
    )
    if view == "month":
        return _month(anchor, timezone, shown, common)
    first = anchor if view == "day" else _week_start(anchor)
    days = [first + datetime.timedelta(days=n) for n in range(1 if view == "day" else 7)]
    if view == "day" and shown is None:
        columns = [Column(first, p) for p in common["professionals"]]
    else:
        columns = [Column(day, shown) for day in days]
    placed = _sessions_between(days[0], days[-1], timezone, shown)
    hours = sorted({*range(FIRST_HOUR, LAST_HOUR + 1), *(local.hour for local, _s in placed)})
    cells, busy = {}, {}
    for local, session in placed:
        column = next(n for n, c in enumerate(columns) if c.holds(local.date(), session))
        cells.setdefault((column, local.hour), []).append(session)
    for local, block in _busy_between(days, timezone, professionals, shown):
        for column in (n for n, c in enumerate(columns) if c.holds(local.date(), block)):
            busy.setdefault((column, local.hour), []).append(block)
    now_local = booking.utc_to_local(utcnow(), timezone).replace(tzinfo=None)
    step = datetime.timedelta(days=len(days))
    return render_template(
        "workstation/sessions.html",
        days=days,
        columns=columns,
        hours=[(hour, format_time(datetime.time(hour), "short", locale=get_locale())) for hour in hours],
        cells=cells,
        busy=busy,
        names={p.id: p.name for p in professionals},
        bookable=lambda day, hour: datetime.datetime.combine(day, datetime.time(hour)) > now_local,
        previous=first - step,
        next=first + step,
        **common,
    )


def _month(anchor, timezone, shown, common):
    """A month as weeks of days, each with how many sessions are booked: one query for the month."""
    weeks = calendar.Calendar().monthdatescalendar(anchor.year, anchor.month)
    booked = {}
    for local, session in _sessions_between(weeks[0][0], weeks[-1][-1], timezone, shown):
        if session.status == SessionStatus.BOOKED:
            booked[local.date()] = booked.get(local.date(), 0) + 1
    month_start = anchor.replace(day=1)
    return render_template(
        "workstation/sessions.html",
        weeks=weeks,
        booked=booked,
        day_names=get_day_names("abbreviated", locale=get_locale()),
        month_start=month_start,
        previous=(month_start - datetime.timedelta(days=1)).replace(day=1),
        next=(month_start + datetime.timedelta(days=32)).replace(day=1),
        **common,
    )


def _place_form(appointment):
    return SessionPlaceForm(
        formdata=None,
        version=appointment.sequence,
        video_link=appointment.video_link,
        place_note=appointment.place_note,
    )


def _render_detail(appointment, reschedule_form=None, status=200, place_form=None, problem=None):
    now = utcnow()
    return render_template(
        "workstation/session_detail.html",
        appointment=appointment,
        action_form=ActionForm(),
        reschedule_form=reschedule_form or RescheduleForm(formdata=None),
        place_form=place_form or _place_form(appointment),
        place=appointments.place_of(appointment),
        problem=problem,
        is_cancelled=appointment.status == SessionStatus.CANCELLED,
        is_released=appointment.status == SessionStatus.RELEASED,
        may_change=booking.professional_may_change(
            appointment.status, appointment.ends_at, now, appointment.no_show_at is not None
        ),
        may_mark_no_show=booking.professional_may_mark_no_show(
            appointment.status, appointment.starts_at, now, appointment.no_show_at is not None
        ),
    ), status


@bp.route("/sessions/<int:appointment_id>")
def session_detail(appointment_id):
    return _render_detail(opened_or_404(Appointment, appointment_id))


def _refuse(error):
    flash(str(PROFESSIONAL[error.code]), "error")


@bp.route("/sessions/<int:appointment_id>/cancel", methods=["POST"])
def cancel_session(appointment_id):
    appointment = clinic_object_or_404(Appointment, appointment_id)
    if form_is_fresh():
        try:
            appointments.cancel(appointment, Actor.PROFESSIONAL, professional=g.professional)
        except booking.BookingError as error:
            _refuse(error)
        else:
            flash(_("The session is cancelled. %(name)s will get an email.", name=appointment.client.name))
    return redirect(url_for("workstation.session_detail", appointment_id=appointment.id))


@bp.route("/sessions/<int:appointment_id>/cancel-following", methods=["POST"])
def cancel_following(appointment_id):
    """Cancel a series session and every later one of its series on the same calendar: one email to the client."""
    appointment = clinic_object_or_404(Appointment, appointment_id)
    if form_is_fresh():
        try:
            cancelled = appointments.cancel_following(appointment, professional=g.professional)
        except booking.BookingError as error:
            _refuse(error)
        else:
            flash(
                ngettext(
                    "%(num)d session is cancelled. %(name)s will get one email listing it.",
                    "%(num)d sessions are cancelled. %(name)s will get one email listing them.",
                    len(cancelled),
                    name=appointment.client.name,
                )
            )
    return redirect(url_for("workstation.session_detail", appointment_id=appointment.id))


@bp.route("/sessions/<int:appointment_id>/reschedule", methods=["POST"])
def reschedule_session(appointment_id):
    appointment = clinic_object_or_404(Appointment, appointment_id)
    form = RescheduleForm()
    if not form.validate_on_submit():
        return _render_detail(appointment, form, 422)
    try:
        start = booking.local_to_utc(form.day.data, form.time.data, g.clinic.timezone)
        # Not `_, moved`: a local `_` would hide gettext for the rest of this function.
        moved = appointments.reschedule(appointment, start, Actor.PROFESSIONAL, professional=g.professional)[1]
    except booking.BookingError as error:
        if error.code in (booking.NOT_BOOKED, booking.STARTED):
            # The session itself can no longer move, and its page shows no reschedule form to hold the message.
            _refuse(error)
        else:
            form.time.errors.append(str(PROFESSIONAL[error.code]))
        return _render_detail(appointment, form, 409 if error.code == booking.OVERLAP else 422)
    flash(_("The session was rescheduled. %(name)s will get an email with the new time.", name=appointment.client.name))
    warn_if_busy_elsewhere(moved.professional, moved.starts_at, moved.ends_at)
    return redirect(url_for("workstation.session_detail", appointment_id=moved.id))


@bp.route("/sessions/<int:appointment_id>/place", methods=["POST"])
def save_session_place(appointment_id):
    """The session's own video link and note on the place; the client gets the updated invitation."""
    appointment = clinic_object_or_404(Appointment, appointment_id)
    form = SessionPlaceForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            flash_expired()
            return redirect(url_for("workstation.session_detail", appointment_id=appointment.id, _anchor="place"))
        return _render_detail(appointment, status=422, place_form=form)
    try:
        appointments.set_place(
            appointment, form.video_link.data or "", form.place_note.data or "", form.read_version(), g.professional
        )
    except appointments.PlaceChanged:
        current = Appointment.get_by_id(appointment.id)
        return _render_detail(current, status=409, problem=STALE)
    except booking.BookingError as error:
        _refuse(error)
    else:
        flash(_("The place was saved. The client gets the updated invitation by email."))
    return redirect(url_for("workstation.session_detail", appointment_id=appointment.id, _anchor="place"))


@bp.route("/sessions/<int:appointment_id>/apply-details", methods=["POST"])
def apply_session_details(appointment_id):
    """Write what the booking form said onto the client's record, once the team has reviewed it."""
    appointment = clinic_object_or_404(Appointment, appointment_id)
    apply_details_from(appointment)
    return redirect(url_for("workstation.session_detail", appointment_id=appointment.id))


@bp.route("/sessions/<int:appointment_id>/no-show", methods=["POST"])
def mark_no_show(appointment_id):
    appointment = clinic_object_or_404(Appointment, appointment_id)
    if form_is_fresh():
        try:
            appointments.mark_no_show(appointment, g.professional)
        except booking.BookingError as error:
            _refuse(error)
        else:
            flash(_("Recorded as a no-show. Decide whether to charge under Charges."))
    return redirect(url_for("workstation.session_detail", appointment_id=appointment.id))

"""Sessions: the clinic's upcoming sessions, one session's details, and the professional's changes
to it (cancel, reschedule, no-show)."""

import datetime

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import appointments, booking, team
from ..models import Appointment, utcnow
from ..refusals import PROFESSIONAL
from ..states import Actor, SessionStatus
from ..web import clinic_object_or_404, form_is_fresh, opened_or_404
from . import bp
from .clients_pages import apply_details_from
from .forms import ActionForm, RescheduleForm

UPCOMING_LISTED = 20
# A calendar page further from today than this is a mistyped address (and near the ends of the
# calendar the week's arithmetic would overflow): today is shown instead.
FARTHEST = datetime.timedelta(days=100 * 366)


def _week_start(day):
    return day - datetime.timedelta(days=day.weekday())


def _anchor_day(today):
    """The ?day= the calendar shows, or today when missing, mistyped or too far away."""
    try:
        anchor = datetime.date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return today
    return today if abs(anchor - today) > FARTHEST else anchor


def _by_local_day(days, timezone):
    """The clinic's sessions on these local days, each placed on its day in the clinic's timezone."""
    # Wide UTC bounds, then each session is placed on its local day.
    window = (
        datetime.datetime.combine(days[0], datetime.time()) - datetime.timedelta(days=1),
        datetime.datetime.combine(days[-1], datetime.time()) + datetime.timedelta(days=2),
    )
    shown = (
        team.scope(appointments.with_people(Appointment.select()), Appointment, g.professional)
        .where(Appointment.clinic == g.clinic, Appointment.starts_at >= window[0], Appointment.starts_at < window[1])
        .order_by(Appointment.starts_at)
    )
    by_day = {day: [] for day in days}
    for appointment in shown:
        local_day = booking.utc_to_local(appointment.starts_at, timezone).date()
        if local_day in by_day:
            by_day[local_day].append(appointment)
    return by_day


def _upcoming():
    return (
        team.scope(appointments.with_people(Appointment.select()), Appointment, g.professional)
        .where(
            Appointment.clinic == g.clinic, Appointment.status == SessionStatus.BOOKED, Appointment.ends_at > utcnow()
        )
        .order_by(Appointment.starts_at)
        .limit(UPCOMING_LISTED)
    )


@bp.route("/sessions")
def sessions():
    """The calendar: a week (or, with ?view=day, one day) in the clinic's timezone, cancelled sessions
    kept and struck through, with the next sessions listed below."""
    timezone = g.clinic.timezone
    today = booking.utc_to_local(utcnow(), timezone).date()
    anchor = _anchor_day(today)
    view = "day" if request.args.get("view") == "day" else "week"
    first = anchor if view == "day" else _week_start(anchor)
    days = [first + datetime.timedelta(days=n) for n in range(1 if view == "day" else 7)]
    step = datetime.timedelta(days=len(days))
    return render_template(
        "workstation/sessions.html",
        view=view,
        days=days,
        by_day=_by_local_day(days, timezone),
        today=today,
        previous=first - step,
        next=first + step,
        sessions=list(_upcoming()),
    )


def _render_detail(appointment, reschedule_form=None, status=200):
    now = utcnow()
    return render_template(
        "workstation/session_detail.html",
        appointment=appointment,
        action_form=ActionForm(),
        reschedule_form=reschedule_form or RescheduleForm(formdata=None),
        is_cancelled=appointment.status == SessionStatus.CANCELLED,
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
    return redirect(url_for("workstation.session_detail", appointment_id=moved.id))


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

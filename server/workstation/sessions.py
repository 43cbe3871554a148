"""Sessions: the clinic's upcoming sessions, one session's details, and the professional's changes
to it (cancel, reschedule, no-show)."""
import datetime

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import JOIN

from .. import appointments, booking
from ..models import Appointment, Client, Professional, Service, utcnow
from ..states import Actor
from . import bp
from .auth import clinic_object_or_404
from .forms import ActionForm, RescheduleForm

PROFESSIONAL_REFUSALS = {
    booking.NOT_BOOKED: lambda: _("This session was already cancelled or moved."),
    booking.STARTED: lambda: _("This session has ended, so it can no longer be changed."),
    booking.NOT_STARTED: lambda: _("A no-show can only be recorded once the session has started."),
    booking.NO_SHOW_RECORDED: lambda: _("This session is already recorded as a no-show."),
    booking.OVERLAP: lambda: _("That time overlaps another session booked for this professional. Please choose another time."),
    booking.IN_THE_PAST: lambda: _("That time has already passed. Please choose a time in the future."),
    booking.NONEXISTENT_TIME: lambda: _("That time does not exist on that day because the clocks change. Please choose another time."),
}


UPCOMING_LISTED = 20
# A calendar page further from today than this is a mistyped address (and near the ends of the
# calendar the week's arithmetic would overflow): today is shown instead.
FARTHEST = datetime.timedelta(days=100 * 366)


def _week_start(day):
    return day - datetime.timedelta(days=day.weekday())


def _with_people(query):
    """The sessions with their client, service and professional in the same query, not one query each."""
    return (query.select_extend(Client, Service, Professional)
            .join(Client, on=(Appointment.client == Client.id)).switch(Appointment)
            .join(Service, JOIN.LEFT_OUTER, on=(Appointment.service == Service.id)).switch(Appointment)
            .join(Professional, on=(Appointment.professional == Professional.id)))


@bp.route("/sessions")
def sessions():
    """The calendar: a week (or, with ?view=day, one day) in the clinic's timezone, cancelled sessions
    kept and struck through, with the next sessions listed below."""
    timezone = g.clinic.timezone
    today = booking.utc_to_local(utcnow(), timezone).date()
    try:
        anchor = datetime.date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        anchor = today
    if abs(anchor - today) > FARTHEST:
        anchor = today
    view = "day" if request.args.get("view") == "day" else "week"
    first = anchor if view == "day" else _week_start(anchor)
    days = [first + datetime.timedelta(days=n) for n in range(1 if view == "day" else 7)]
    # Wide UTC bounds, then each session is placed on its local day.
    window = (datetime.datetime.combine(days[0], datetime.time()) - datetime.timedelta(days=1),
              datetime.datetime.combine(days[-1], datetime.time()) + datetime.timedelta(days=2))
    shown = (_with_people(Appointment.select()).where(Appointment.clinic == g.clinic, Appointment.starts_at >= window[0],
                                                      Appointment.starts_at < window[1]).order_by(Appointment.starts_at))
    by_day = {day: [] for day in days}
    for appointment in shown:
        local_day = booking.utc_to_local(appointment.starts_at, timezone).date()
        if local_day in by_day:
            by_day[local_day].append(appointment)
    upcoming = (_with_people(Appointment.select()).where(Appointment.clinic == g.clinic, Appointment.status == "booked",
                                                         Appointment.ends_at > utcnow())
                .order_by(Appointment.starts_at).limit(UPCOMING_LISTED))
    step = datetime.timedelta(days=1 if view == "day" else 7)
    return render_template("workstation/sessions.html", view=view, days=days, by_day=by_day, today=today,
                           previous=first - step, next=first + step, sessions=list(upcoming))


def _render_detail(appointment, reschedule_form=None, status=200):
    return render_template("workstation/session_detail.html", appointment=appointment, action_form=ActionForm(),
                           reschedule_form=reschedule_form or RescheduleForm(formdata=None),
                           now=utcnow()), status


@bp.route("/sessions/<int:appointment_id>")
def session_detail(appointment_id):
    return _render_detail(clinic_object_or_404(Appointment, appointment_id))


def _expired():
    flash(_("This page had expired, so nothing was changed. Please try again."), "error")


@bp.route("/sessions/<int:appointment_id>/cancel", methods=["POST"])
def cancel_session(appointment_id):
    appointment = clinic_object_or_404(Appointment, appointment_id)
    if not ActionForm().validate_on_submit():
        _expired()
    else:
        try:
            appointments.cancel(appointment, Actor.PROFESSIONAL, professional=g.professional)
        except booking.BookingError as error:
            flash(PROFESSIONAL_REFUSALS[error.code](), "error")
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
            flash(PROFESSIONAL_REFUSALS[error.code](), "error")
        else:
            form.time.errors.append(PROFESSIONAL_REFUSALS[error.code]())
        return _render_detail(appointment, form, 409 if error.code == booking.OVERLAP else 422)
    flash(_("The session moved. %(name)s will get an email with the new time.", name=appointment.client.name))
    return redirect(url_for("workstation.session_detail", appointment_id=moved.id))


@bp.route("/sessions/<int:appointment_id>/no-show", methods=["POST"])
def mark_no_show(appointment_id):
    appointment = clinic_object_or_404(Appointment, appointment_id)
    if not ActionForm().validate_on_submit():
        _expired()
    else:
        try:
            appointments.mark_no_show(appointment, g.professional)
        except booking.BookingError as error:
            flash(PROFESSIONAL_REFUSALS[error.code](), "error")
        else:
            flash(_("Recorded as a no-show. Decide whether to charge under Charges."))
    return redirect(url_for("workstation.session_detail", appointment_id=appointment.id))

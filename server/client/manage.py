"""Managing one session from the link in its emails: see it, cancel it, and move it where allowed.

A manage link names a session and a nonce. Any change to the session replaces the nonce, so an old
link (used, or from before a reschedule) shows the session's current state and acts no more.
"""
from flask import abort, current_app, g, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from .. import appointments, availability, booking, links
from ..models import Appointment, Clinic, utcnow
from ..workstation.sessions import _with_people
from . import bp, guard
from .forms import ActionForm, SlotForm

CLIENT_REFUSALS = {
    booking.NOT_BOOKED: _l("This session was already cancelled or rescheduled, so nothing was changed."),
    booking.STARTED: _l("This session has already started or ended, so it can no longer be changed online. Please contact the clinic."),
    booking.NOT_HUB: _l("This session can be cancelled but not rescheduled online: only sessions booked through a Wellbeing Hub can be rescheduled. To change the time, cancel it and contact the clinic."),
    booking.OVERLAP: _l("Sorry, that time was just taken. Please choose another."),
    booking.IN_THE_PAST: _l("That time has already passed. Please choose another."),
}


def _open_session(token):
    """(appointment, link_is_current). An unknown or tampered token is a 404."""
    try:
        appointment_id, nonce = links.read_manage_token(current_app.config["SECRET_KEYS"], token)
    except links.InvalidLink:
        abort(404)
    # One query for the session and everyone the page names, instead of one lazy load each.
    appointment = (_with_people(Appointment.select()).select_extend(Clinic).switch(Appointment)
                   .join(Clinic, on=(Appointment.clinic == Clinic.id))
                   .where(Appointment.id == appointment_id).get_or_none()) or abort(404)
    g.client_language = appointment.client.language
    g.clinic_language = appointment.clinic.default_language
    g.frame_clinic = appointment.clinic
    g.page_client = appointment.client
    return appointment, nonce == appointment.manage_nonce


def _options(appointment, current, now):
    """What the client may do from this page, and why not, decided by the booking rules."""
    def refusal(check, *args):
        if not current:
            return booking.NOT_BOOKED
        try:
            check(*args)
        except booking.BookingError as error:
            return error.code
        return None
    clinic = appointment.clinic
    return {
        "cancel_refused": refusal(booking.check_client_cancel, appointment.status, appointment.starts_at, now),
        "reschedule_refused": refusal(booking.check_client_reschedule, appointment.channel, appointment.status,
                                      appointment.starts_at, now),
        "late": booking.is_late(appointment.channel, clinic.policy_hours, appointment.starts_at, now),
        "late_window": booking.late_window_hours(appointment.channel, clinic.policy_hours),
        "penalty_warning": booking.shows_penalty_warning(appointment.channel, clinic.policy_hours),
        "notice_hours": max(int(booking.notice(appointment.starts_at, now).total_seconds() // 3600), 0),
    }


def _render(template, appointment, current, token, status=200, **context):
    now = utcnow()
    return render_template(f"client/{template}.html", appointment=appointment, clinic=appointment.clinic,
                           token=token, refusals=CLIENT_REFUSALS, **_options(appointment, current, now),
                           **context), status


@bp.route("/m/<token>")
def manage(token):
    appointment, current = _open_session(token)
    return _render("manage", appointment, current, token)


@bp.route("/m/<token>/cancel", methods=["GET", "POST"])
def cancel(token):
    appointment, current = _open_session(token)
    refused = _options(appointment, current, utcnow())["cancel_refused"]
    if refused:
        # A used or changed link, or a session under way: the page shows where the session stands, and
        # a confirmation sent anyway (a double submit, an old tab) says that nothing was changed.
        if request.method == "GET":
            return _render("manage", appointment, current, token)
        return _render("manage", appointment, current, token, status=409, problem=CLIENT_REFUSALS[refused])
    form = ActionForm()
    if request.method == "GET":
        form.form_token.data = guard.issue(token)
        return _render("manage_cancel", appointment, current, token, form=form)
    problem, _ = guard.check(form, token, min_seconds=0)
    if problem:
        form.form_token.data = guard.issue(token)
        return _render("manage_cancel", appointment, current, token, status=422, form=form, problem=problem)
    try:
        cancelled = appointments.cancel(appointment, appointments.CLIENT)
    except booking.BookingError as error:
        appointment = Appointment.get_by_id(appointment.id)
        return _render("manage", appointment, False, token, status=409, problem=CLIENT_REFUSALS[error.code])
    return _render("manage_done", cancelled, False, token, event="cancelled")


@bp.route("/m/<token>/reschedule", methods=["GET", "POST"])
def reschedule(token):
    appointment, current = _open_session(token)
    options = _options(appointment, current, utcnow())
    if options["reschedule_refused"]:
        return _render("manage", appointment, current, token, status=403,
                       problem=CLIENT_REFUSALS[options["reschedule_refused"]])
    form = SlotForm()
    problem = None
    if request.method == "POST":
        problem, _ = guard.check(form, token, min_seconds=0)
        start = form.start_utc()
        if problem is None and start is None:
            problem = _l("Please choose a time.")
        if problem is None:
            if start <= utcnow():
                problem = CLIENT_REFUSALS[booking.IN_THE_PAST]
            elif start == appointment.starts_at or not availability.is_free_slot(
                    appointment.professional, appointment.service, start, utcnow(), exclude=appointment):
                problem = CLIENT_REFUSALS[booking.OVERLAP]
            else:
                try:
                    old, moved = appointments.reschedule(appointment, start, appointments.CLIENT)
                except booking.BookingError as error:
                    if error.code not in (booking.OVERLAP, booking.IN_THE_PAST):
                        # The session changed meanwhile (cancelled in another tab): show where it stands.
                        appointment = Appointment.get_by_id(appointment.id)
                        return _render("manage", appointment, False, token, status=409,
                                       problem=CLIENT_REFUSALS[error.code])
                    problem = CLIENT_REFUSALS[error.code]
                else:
                    return _render("manage_done", old, False, token, event="rescheduled", moved=moved)
    today = booking.utc_to_local(utcnow(), appointment.clinic.timezone).date()
    first_day, previous_day, next_day = availability.pages_of_days(request.args.get("from"), today)
    # Every free time but the session's own: moving it to where it already is would change nothing.
    slots = [slot for slot in availability.slots(appointment.professional, appointment.service, first_day, utcnow(),
                                                 exclude=appointment) if slot[0] != appointment.starts_at]
    form.form_token.data = guard.issue(token)

    def page_url(day):
        return day and url_for("client.reschedule", token=token, lang=request.args.get("lang"),
                               **{"from": day.isoformat()})
    return _render("manage_reschedule", appointment, current, token, status=409 if problem else 200, form=form,
                   problem=problem, slots=slots, first_day=first_day, previous_url=page_url(previous_day),
                   next_url=page_url(next_day))

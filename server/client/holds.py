"""Confirming a held session from the link in its email (/confirm/<token>), at a clinic that asks for a
self-booked session to be confirmed. The link confirms that one session and does nothing else.

Opening it shows the session and one button, so a mail scanner that follows links confirms nothing. Pressing
it in time makes the session a normal booked one; a second press says it is confirmed already; a hold that
lapsed (or a link older than any hold) says so and offers the calendar to book again. Which answer is the
booking rules' (booking.confirm_answer); this page only shows it.
"""

from flask import abort, current_app, render_template, request

from .. import appointments, booking, links
from ..language_choice import client_url
from ..models import Appointment, utcnow
from . import bp, guard
from .context import use_page_of
from .forms import ActionForm

# Past the longest hold a clinic may set, no confirm link can be in time, whatever its session says.
LINK_MAX_AGE = booking.LONGEST_HOLD_MINUTES * 60

STATUS = {
    booking.HoldAnswer.CONFIRM: 200,
    booking.HoldAnswer.ALREADY: 200,
    booking.HoldAnswer.LAPSED: 410,
    booking.HoldAnswer.GONE: 410,
}


def _open_hold(token):
    """(session, link_expired). A token that is not ours, or names a session not there, is a 404."""
    keys = current_app.config["SECRET_KEYS"]
    expired = False
    try:
        appointment_id, uid = links.read_hold_token(keys, token, LINK_MAX_AGE)
    except links.ExpiredLink:
        appointment_id, uid = links.read_hold_token(keys, token, None)
        expired = True
    except links.InvalidLink:
        abort(404)
    appointment = Appointment.get_or_none(Appointment.id == appointment_id, Appointment.uid == uid) or abort(404)
    use_page_of(appointment.clinic, appointment.client)
    return appointment, expired


def _answer(appointment, expired, now):
    answer = booking.confirm_answer(appointment.status, appointment.hold_until, appointment.hold_until is not None, now)
    return booking.HoldAnswer.LAPSED if expired and answer == booking.HoldAnswer.CONFIRM else answer


def _book_again_url(appointment):
    """The calendar the session was booked from, to choose another time."""
    keys = current_app.config["SECRET_KEYS"]
    if appointment.hub_id:
        return client_url("client.hub_page", token=links.hub_token(keys, appointment.hub))
    return client_url("client.booking_page", token=links.booking_token(keys, appointment.professional))


def _render(appointment, answer, token, confirmed_now=False, problem=None, status=None):
    form = ActionForm()
    form.form_token.data = guard.issue(token)
    return render_template(
        "client/hold_confirm.html",
        clinic=appointment.clinic,
        appointment=appointment,
        answer=answer.value,
        confirmed_now=confirmed_now,
        form=form,
        problem=problem,
        book_again=_book_again_url(appointment) if answer == booking.HoldAnswer.LAPSED else None,
    ), status or STATUS[answer]


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_hold(token):
    appointment, expired = _open_hold(token)
    now = utcnow()
    answer = _answer(appointment, expired, now)
    if request.method == "GET" or answer != booking.HoldAnswer.CONFIRM:
        return _render(appointment, answer, token)
    problem, _ = guard.check(ActionForm(), token, min_seconds=0)
    if problem is not None:
        return _render(appointment, answer, token, problem=problem, status=422)
    answer, appointment = appointments.confirm_hold(appointment, now)
    return _render(appointment, answer, token, confirmed_now=answer == booking.HoldAnswer.CONFIRM)

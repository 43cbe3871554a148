"""How stored values read in the workstation: statuses, channels, question kinds and answers."""

from babel import numbers
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import charges, clients, registration
from ..language_choice import language_name
from ..states import Actor, Channel, ChargeReason, ChargeStatus, RequestStatus, SessionStatus
from . import bp
from .forms import REPEATS

REQUEST_STATUS = {
    RequestStatus.PENDING: _l("Waiting"),
    RequestStatus.ACCEPTED: _l("Accepted"),
    RequestStatus.DECLINED: _l("Declined"),
    RequestStatus.WITHDRAWN: _l("Withdrawn by the client"),
}
CHARGE_REASONS = {
    ChargeReason.LATE_CANCELLATION: _l("Late cancellation"),
    ChargeReason.LATE_CHANGE: _l("Late change"),
    ChargeReason.NO_SHOW: _l("No-show"),
}
CHARGE_STATUS = {
    ChargeStatus.OPEN: _l("To decide"),
    ChargeStatus.CHARGED: _l("Charged"),
    ChargeStatus.WAIVED: _l("Waived"),
}
CHANNELS = {Channel.DIRECT: _l("Booked directly"), Channel.REQUEST: _l("On request"), Channel.HUB: _l("Wellbeing Hub")}


@bp.app_template_global()
def details_to_review(row):
    """What a request's or booking's form said that differs from the client's record (clients.differences_to_review)."""
    return clients.differences_to_review(row)


@bp.app_template_global()
def request_status(status):
    return REQUEST_STATUS.get(status, status)


@bp.app_template_global()
def charge_reason(reason):
    return CHARGE_REASONS.get(reason, reason)


@bp.app_template_global()
def charge_status(status):
    return CHARGE_STATUS.get(status, status)


@bp.app_template_global()
def money(cents, currency):
    """An amount in minor units, formatted for the current locale, e.g. "£40.00"."""
    return numbers.format_currency(charges.to_units(cents), currency, locale=get_locale())


@bp.app_template_global()
def session_status(appointment):
    if appointment.status == SessionStatus.CANCELLED:
        return _("Rescheduled") if appointment.rescheduled_to_id else _("Cancelled")
    if appointment.status == SessionStatus.HELD:
        return _("Awaiting the client's confirmation")
    if appointment.status == SessionStatus.RELEASED:
        return _("Released: not confirmed by the client")
    return _("No-show") if appointment.no_show_at else _("Booked")


@bp.app_template_global()
def session_mark(appointment):
    """The status a calendar block shows: none for a session that is simply booked."""
    plainly_booked = appointment.status == SessionStatus.BOOKED and not appointment.no_show_at
    return None if plainly_booked else session_status(appointment)


@bp.app_template_global()
def cancelled_by(appointment):
    """Who cancelled a session, as the session's page says it."""
    if appointment.cancelled_by == Actor.CLIENT:
        return _("by the client")
    professional = appointment.cancelled_by_professional
    return professional.name if professional else _("by the clinic")


@bp.app_template_global()
def weeks_apart_label(weeks):
    """How often a session's series repeats, in the words of the series form."""
    return next((choice.label for choice in REPEATS if choice.value == weeks), weeks)


@bp.app_template_global()
def channel_label(channel):
    return CHANNELS.get(channel, channel)


@bp.app_template_global()
def requested_for(request):
    """Whom a hub request is for, since only they were emailed about it; None for a request to the whole clinic."""
    if request.professional_id is None:
        return None
    if request.hub_id is None:
        return _("For: %(professional)s", professional=request.professional.name)
    return _("For: %(professional)s, via %(hub)s", professional=request.professional.name, hub=request.hub.name)


DETAIL_LABELS = {"name": _l("Name"), "language": _l("Language"), "timezone": _l("Time zone")}


@bp.app_template_global()
def detail_label(key):
    """A client detail's name, as the request form and the client's page call it."""
    return DETAIL_LABELS.get(key) or registration.FIELDS.get(key, key)


@bp.app_template_global()
def detail_text(key, value):
    """A client detail's value as people read it: a language by its name, nothing as a dash."""
    if not value:
        return "—"
    return language_name(value) if key == "language" else str(value)


@bp.app_template_global()
def question_kind(kind):
    return registration.QUESTION_KINDS.get(kind, kind)


@bp.app_template_global()
def answer_label(answer):
    return registration.answer_label(answer)


@bp.app_template_global()
def answer_text(answer):
    """An answer as a sentence: lists joined, yes/no and consent in words, a language by its name."""
    value = answer["value"]
    if isinstance(value, list):
        return ", ".join(value)
    if value is True or (answer.get("kind") == "yes_no" and value == "yes"):
        return _("Yes")
    if answer.get("kind") == "yes_no":
        return _("No")
    if answer.get("key") == "preferred_language":
        return language_name(value)
    return str(value)

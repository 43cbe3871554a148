"""Settings → Availability: a professional's weekly hours (several periods a day), the rules for clients
booking online (buffer, notice, horizon), time off, external calendars whose busy times are kept free, hub
listing, and (for the owner) the clinic's cancellation policy and late fee. With ?member=<id> the owner sets
a colleague's hours, rules, time off, calendars and hub listing on the same page (the links and forms keep
the member), and what is saved is said of that colleague, not of "you"."""

from babel.dates import get_day_names
from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Optional

from .. import calendar_fetch, calendar_sync, charges, clinic_settings, professional_settings, roles, team
from ..form_base import PageForm
from ..models import Professional, TimeOff
from ..refusals import EXTERNAL_CALENDAR
from ..validators import REQUIRED, max_length
from ..web import flash_expired, form_is_fresh, require, require_owner
from . import bp
from .forms import (
    PERIODS_PER_DAY,
    ActionForm,
    BookingRulesForm,
    HubModeForm,
    PolicyForm,
    TimeOffForm,
    VideoLinkForm,
    weekly_hours_form_class,
)

MEMBER_ENDPOINTS = {
    "workstation.availability",
    "workstation.save_hours",
    "workstation.save_booking_rules",
    "workstation.add_time_off",
    "workstation.delete_time_off",
    "workstation.save_hub_mode",
    "workstation.save_video_link",
    "workstation.add_external_calendar",
    "workstation.remove_external_calendar",
}


class ExternalCalendarForm(PageForm):
    url = StringField(
        _l("Calendar address (iCalendar)"),
        [DataRequired(message=REQUIRED), max_length(calendar_fetch.MAX_URL_LENGTH)],
        description=_l(
            'In Google Calendar: Settings, your calendar, "Secret address in iCal format". In Outlook: Settings, '
            "Calendar, Shared calendars, Publish a calendar, the ICS link."
        ),
        render_kw={"autocomplete": "off", "spellcheck": "false", "inputmode": "url", "dir": "ltr"},
    )
    label = StringField(
        _l("Name (optional)"),
        [Optional(), max_length(calendar_sync.MAX_LABEL_LENGTH)],
        description=_l("For example Personal, so you can tell your calendars apart."),
    )


def _member():
    """Whose availability this page shows: the signed-in member's, or with ?member= a colleague's, which
    only the team's managers may set (roles.TEAM); another clinic's id is not found."""
    member_id = request.args.get("member", type=int)
    if member_id is None or member_id == g.professional.id:
        return g.professional
    require(roles.TEAM)
    member = team.bookable_members(g.clinic).where(Professional.id == member_id).first() or abort(404)
    g.availability_member = member
    return member


@bp.url_defaults
def keep_the_member(endpoint, values):
    """Links and forms of a colleague's availability page stay on that colleague."""
    member = g.get("availability_member")
    if member is not None and endpoint in MEMBER_ENDPOINTS:
        values.setdefault("member", member.id)


def _said(own, colleagues, **values):
    """A confirmation in the words for whose availability it is: "Your …" on one's own page, the colleague
    named on theirs (the owner setting a colleague's hours)."""
    member = g.get("availability_member")
    return own % values if member is None else colleagues % dict(values, name=member.name)


def _render(status=200, **forms):
    professional, clinic = _member(), g.clinic
    current = {}
    for row in professional.working_hours:
        current.setdefault(row.weekday, []).append(row)
    defaults = dict(
        hours_form=weekly_hours_form_class(current)(formdata=None),
        rules_form=BookingRulesForm(
            formdata=None,
            buffer_minutes=professional.buffer_minutes,
            notice_hours=professional.notice_minutes // 60,
            horizon_days=professional.horizon_days,
        ),
        time_off_form=TimeOffForm(formdata=None),
        hub_form=HubModeForm(hub_mode=professional.hub_mode),
        video_form=VideoLinkForm(formdata=None, video_link=professional.video_link),
        policy_form=PolicyForm(
            policy_hours=clinic.policy_hours,
            currency=clinic.currency,
            late_fee=charges.to_units(clinic.late_fee_cents),
        ),
        action_form=ActionForm(),
        calendar_form=ExternalCalendarForm(formdata=None),
    )
    defaults.update(forms)
    time_off = professional.time_off.order_by(TimeOff.first_day)
    return render_template(
        "workstation/availability.html",
        member=g.get("availability_member"),
        time_off=list(time_off),
        calendars=calendar_sync.calendars(professional),
        masked=calendar_sync.masked,
        fetch_errors=EXTERNAL_CALENDAR,
        day_names=get_day_names("wide", locale=get_locale()),
        periods=range(PERIODS_PER_DAY),
        **defaults,
    ), status


@bp.route("/settings/availability")
def availability():
    return _render()


@bp.route("/settings/availability/hours", methods=["POST"])
def save_hours():
    form = weekly_hours_form_class({})()
    if not form.validate_on_submit():
        return _render(422, hours_form=form)
    professional_settings.save_working_hours(_member(), form.stretches())
    flash(
        _said(
            _("Your working hours were saved. Clients see free times within them."),
            _("The working hours of %(name)s were saved. Clients see free times within them."),
        )
    )
    return redirect(url_for("workstation.availability"))


@bp.route("/settings/availability/booking-rules", methods=["POST"])
def save_booking_rules():
    form = BookingRulesForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            flash_expired()
            return redirect(url_for("workstation.availability", _anchor="rules"))
        return _render(422, rules_form=form)
    professional_settings.save_booking_rules(
        _member(), form.buffer_minutes.data, form.notice_hours.data * 60, form.horizon_days.data
    )
    flash(
        _said(_("Your rules for online booking were saved."), _("The rules for online booking of %(name)s were saved."))
    )
    return redirect(url_for("workstation.availability", _anchor="rules"))


@bp.route("/settings/availability/video-link", methods=["POST"])
def save_video_link():
    form = VideoLinkForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            flash_expired()
            return redirect(url_for("workstation.availability", _anchor="video"))
        return _render(422, video_form=form)
    professional_settings.save_video_link(_member(), form.video_link.data or "")
    flash(_said(_("Your video link was saved."), _("The video link of %(name)s was saved.")))
    return redirect(url_for("workstation.availability", _anchor="video"))


@bp.route("/settings/availability/time-off", methods=["POST"])
def add_time_off():
    form = TimeOffForm()
    if not form.validate_on_submit():
        return _render(422, time_off_form=form)
    professional_settings.add_time_off(_member(), form.first_day.data, form.last_day.data, form.note.data)
    flash(_said(_("Your time off was added."), _("The time off of %(name)s was added.")))
    return redirect(url_for("workstation.availability"))


@bp.route("/settings/availability/time-off/<int:time_off_id>/delete", methods=["POST"])
def delete_time_off(time_off_id):
    entry = professional_settings.time_off_or_none(_member(), time_off_id) or abort(404)
    if form_is_fresh():
        professional_settings.delete_time_off(entry)
        flash(_("The time off was removed."))
    return redirect(url_for("workstation.availability"))


@bp.route("/settings/availability/hub", methods=["POST"])
def save_hub_mode():
    form = HubModeForm()
    if not form.validate_on_submit():
        return _render(422, hub_form=form)
    professional_settings.set_hub_mode(_member(), form.hub_mode.data)
    flash(_said(_("Your Wellbeing Hub listing was saved."), _("The Wellbeing Hub listing of %(name)s was saved.")))
    return redirect(url_for("workstation.availability"))


@bp.route("/settings/availability/calendars", methods=["POST"])
def add_external_calendar():
    """Add an external calendar address; the calendar worker reads it within a minute or so."""
    form = ExternalCalendarForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            flash_expired()
            return redirect(url_for("workstation.availability", _anchor="calendars"))
        return _render(422, calendar_form=form)
    try:
        calendar_sync.add_calendar(
            _member(), form.url.data, form.label.data or "", current_app.config["CALENDAR_FETCH_ALLOW_LOOPBACK"]
        )
    except calendar_sync.CalendarError as error:
        form.url.errors.append(str(EXTERNAL_CALENDAR[error.code]))
        return _render(422, calendar_form=form)
    flash(
        _said(
            _("Your calendar was added. Its busy times are read within a few minutes, then every 15 minutes."),
            _("A calendar of %(name)s was added. Its busy times are read within a few minutes, then every 15 minutes."),
        )
    )
    return redirect(url_for("workstation.availability", _anchor="calendars"))


@bp.route("/settings/availability/calendars/<int:calendar_id>/delete", methods=["POST"])
def remove_external_calendar(calendar_id):
    calendar = calendar_sync.calendar_or_none(_member(), calendar_id) or abort(404)
    if form_is_fresh():
        calendar_sync.remove_calendar(calendar)
        flash(_("The calendar was removed. Its busy times no longer keep times from clients."))
    return redirect(url_for("workstation.availability", _anchor="calendars"))


@bp.route("/settings/availability/policy", methods=["POST"])
def save_policy():
    require_owner()
    form = PolicyForm()
    if not form.validate_on_submit():
        return _render(422, policy_form=form)
    clinic_settings.save_policy(g.clinic, form.policy_hours.data, form.late_fee.data, form.currency.data)
    flash(_("Your cancellation policy was saved."))
    return redirect(url_for("workstation.availability", _anchor="policy"))

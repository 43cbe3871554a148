"""Settings → Availability: a professional's weekly hours (several periods a day), the rules for clients
booking online (buffer, notice, horizon), time off and hub listing, and (for the owner) the clinic's
cancellation policy and late fee."""

from babel.dates import get_day_names
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import charges, clinic_settings, professional_settings
from ..models import TimeOff
from ..web import flash_expired, form_is_fresh, require_owner
from . import bp
from .forms import (
    PERIODS_PER_DAY,
    ActionForm,
    BookingRulesForm,
    HubModeForm,
    PolicyForm,
    TimeOffForm,
    weekly_hours_form_class,
)


def _render(status=200, **forms):
    professional, clinic = g.professional, g.clinic
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
        policy_form=PolicyForm(
            policy_hours=clinic.policy_hours,
            currency=clinic.currency,
            late_fee=charges.to_units(clinic.late_fee_cents),
        ),
        action_form=ActionForm(),
    )
    defaults.update(forms)
    time_off = professional.time_off.order_by(TimeOff.first_day)
    return render_template(
        "workstation/availability.html",
        time_off=list(time_off),
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
    professional_settings.save_working_hours(g.professional, form.stretches())
    flash(_("Your working hours were saved. Clients see free times within them."))
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
        g.professional, form.buffer_minutes.data, form.notice_hours.data * 60, form.horizon_days.data
    )
    flash(_("Your rules for online booking were saved."))
    return redirect(url_for("workstation.availability", _anchor="rules"))


@bp.route("/settings/availability/time-off", methods=["POST"])
def add_time_off():
    form = TimeOffForm()
    if not form.validate_on_submit():
        return _render(422, time_off_form=form)
    professional_settings.add_time_off(g.professional, form.first_day.data, form.last_day.data, form.note.data)
    flash(_("Your time off was added."))
    return redirect(url_for("workstation.availability"))


@bp.route("/settings/availability/time-off/<int:time_off_id>/delete", methods=["POST"])
def delete_time_off(time_off_id):
    entry = professional_settings.time_off_or_none(g.professional, time_off_id) or abort(404)
    if form_is_fresh():
        professional_settings.delete_time_off(entry)
        flash(_("The time off was removed."))
    return redirect(url_for("workstation.availability"))


@bp.route("/settings/availability/hub", methods=["POST"])
def save_hub_mode():
    form = HubModeForm()
    if not form.validate_on_submit():
        return _render(422, hub_form=form)
    professional_settings.set_hub_mode(g.professional, form.hub_mode.data)
    flash(_("Your Wellbeing Hub listing was saved."))
    return redirect(url_for("workstation.availability"))


@bp.route("/settings/availability/policy", methods=["POST"])
def save_policy():
    require_owner()
    form = PolicyForm()
    if not form.validate_on_submit():
        return _render(422, policy_form=form)
    clinic_settings.save_policy(g.clinic, form.policy_hours.data, form.late_fee.data, form.currency.data)
    flash(_("Your cancellation policy was saved."))
    return redirect(url_for("workstation.availability", _anchor="policy"))

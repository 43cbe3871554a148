"""Settings → Availability: a professional's weekly hours, time off and hub listing, and (for the
owner) the clinic's cancellation policy and late fee."""
from babel.dates import get_day_names
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..db import database
from ..models import Clinic, Professional, TimeOff, WorkingHours
from . import bp
from .forms import ActionForm, HubModeForm, PolicyForm, TimeOffForm, weekly_hours_form_class


def _render(status=200, **forms):
    professional = g.professional
    current = {row.weekday: row for row in professional.working_hours}
    defaults = dict(
        hours_form=weekly_hours_form_class(current)(formdata=None),
        time_off_form=TimeOffForm(formdata=None),
        hub_form=HubModeForm(hub_mode=professional.hub_mode),
        policy_form=PolicyForm(policy_hours=g.clinic.policy_hours, late_fee=g.clinic.late_fee_cents / 100,
                               currency=g.clinic.currency),
        action_form=ActionForm(),
    )
    defaults.update(forms)
    time_off = professional.time_off.order_by(TimeOff.first_day)
    return render_template("workstation/availability.html", time_off=list(time_off),
                           day_names=get_day_names("wide", locale=get_locale()), **defaults), status


@bp.route("/settings/availability")
def availability():
    return _render()


@bp.route("/settings/availability/hours", methods=["POST"])
def save_hours():
    form = weekly_hours_form_class({})()
    if not form.validate_on_submit():
        return _render(422, hours_form=form)
    with database.atomic():
        WorkingHours.delete().where(WorkingHours.professional == g.professional).execute()
        for weekday, opens, closes in form.stretches():
            WorkingHours.create(professional=g.professional, weekday=weekday, opens=opens, closes=closes)
    flash(_("Your working hours were saved. Clients see free times within them."))
    return redirect(url_for("workstation.availability"))


@bp.route("/settings/availability/time-off", methods=["POST"])
def add_time_off():
    form = TimeOffForm()
    if not form.validate_on_submit():
        return _render(422, time_off_form=form)
    TimeOff.create(professional=g.professional, first_day=form.first_day.data, last_day=form.last_day.data,
                   note=form.note.data or "")
    flash(_("Your time off was added."))
    return redirect(url_for("workstation.availability"))


@bp.route("/settings/availability/time-off/<int:time_off_id>/delete", methods=["POST"])
def delete_time_off(time_off_id):
    entry = TimeOff.get_or_none(TimeOff.id == time_off_id, TimeOff.professional == g.professional) or abort(404)
    if ActionForm().validate_on_submit():
        entry.delete_instance()
        flash(_("The time off was removed."))
    else:
        flash(_("This page had expired, so nothing was changed. Please try again."), "error")
    return redirect(url_for("workstation.availability"))


@bp.route("/settings/availability/hub", methods=["POST"])
def save_hub_mode():
    form = HubModeForm()
    if not form.validate_on_submit():
        return _render(422, hub_form=form)
    Professional.update(hub_mode=form.hub_mode.data).where(Professional.id == g.professional.id).execute()
    flash(_("Your Wellbeing Hub listing was saved."))
    return redirect(url_for("workstation.availability"))


@bp.route("/settings/availability/policy", methods=["POST"])
def save_policy():
    if not g.professional.is_owner:
        abort(403)
    form = PolicyForm()
    if not form.validate_on_submit():
        return _render(422, policy_form=form)
    Clinic.update(policy_hours=form.policy_hours.data, late_fee_cents=round(form.late_fee.data * 100),
                  currency=form.currency.data.upper()).where(Clinic.id == g.clinic.id).execute()
    flash(_("Your cancellation policy was saved."))
    return redirect(url_for("workstation.availability", _anchor="policy"))

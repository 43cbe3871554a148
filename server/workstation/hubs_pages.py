"""Settings → Wellbeing Hubs: the owner creates, renames, closes and reopens hubs, chooses their members
and replaces their links; each member (or the owner) chooses whether a hub shows their calendar or takes
requests only, and which languages clients see beside their name."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from .. import hubs, professional_settings, roles
from ..models import Hub, HubMember, Professional
from ..web import clinic_object_or_404, form_is_fresh, may, owner_only
from . import bp
from .forms import ActionForm
from .hub_forms import AddMemberForm, HubNameForm, LanguagesForm, MemberModeForm


def _member_or_404(hub, professional_id):
    return HubMember.get_or_none(HubMember.hub == hub, HubMember.professional == professional_id) or abort(404)


def _owner_or_self(professional):
    """The owner acts for any member; a member only for themself (a colleague's is not found, as everywhere)."""
    if not (may(roles.SETTINGS) or g.professional.id == professional.id):
        abort(404)


@bp.route("/settings/hubs")
def hub_list():
    form = HubNameForm(formdata=None)
    return _render_list(form)


def _render_list(form, status=200):
    listed = g.clinic.hubs.order_by(Hub.closed_at.is_null(False), Hub.name, Hub.id)
    return render_template("workstation/hubs.html", hubs=list(listed), form=form), status


@bp.route("/settings/hubs", methods=["POST"])
@owner_only
def create_hub():
    form = HubNameForm()
    if not form.validate():
        return _render_list(form, 422)
    hub = hubs.create_hub(g.clinic, form.name.data)
    flash(_("The hub was created. Add its members next."))
    return redirect(url_for("workstation.hub_detail", hub_id=hub.id))


def _newcomer_choices(hub, members):
    """The clinic's professionals not yet in the hub: those the owner may add."""
    in_hub = {m.professional_id for m in members}
    return [
        SelectChoice(str(p.id), p.name)
        for p in g.clinic.professionals.order_by(Professional.name)
        if p.id not in in_hub
    ]


def _render_hub(hub, status=200, **forms):
    members = list(hubs.members(hub))
    add_form = forms.pop("add_form", None) or AddMemberForm(formdata=None)
    add_form.professional.choices = _newcomer_choices(hub, members)
    rows = [
        (
            m,
            MemberModeForm(formdata=None, mode=m.mode, prefix=f"m{m.professional_id}"),
            LanguagesForm(formdata=None, languages=m.professional.languages, prefix=f"l{m.professional_id}"),
            may(roles.SETTINGS) or g.professional.id == m.professional_id,
        )
        for m in members
    ]
    return render_template(
        "workstation/hub_detail.html",
        hub=hub,
        rows=rows,
        add_form=add_form,
        name_form=forms.pop("name_form", None) or HubNameForm(formdata=None, name=hub.name),
        action_form=ActionForm(),
    ), status


@bp.route("/settings/hubs/<int:hub_id>")
def hub_detail(hub_id):
    return _render_hub(clinic_object_or_404(Hub, hub_id))


@bp.route("/settings/hubs/<int:hub_id>/name", methods=["POST"])
@owner_only
def rename_hub(hub_id):
    hub = clinic_object_or_404(Hub, hub_id)
    form = HubNameForm()
    if not form.validate():
        return _render_hub(hub, 422, name_form=form)
    hubs.rename_hub(hub, form.name.data)
    flash(_("The hub was renamed."))
    return redirect(url_for("workstation.hub_detail", hub_id=hub.id))


@bp.route("/settings/hubs/<int:hub_id>/<any(close, reopen):action>", methods=["POST"])
@owner_only
def close_hub(hub_id, action):
    hub = clinic_object_or_404(Hub, hub_id)
    hubs.set_closed(hub, action == "close")
    flash(
        _("The hub is closed: its page says so and takes no bookings or requests.")
        if action == "close"
        else _("The hub is open again.")
    )
    return redirect(url_for("workstation.hub_detail", hub_id=hub.id))


@bp.route("/settings/hubs/<int:hub_id>/rotate", methods=["POST"])
@owner_only
def rotate_hub_link(hub_id):
    hub = clinic_object_or_404(Hub, hub_id)
    hubs.rotate_link(hub)
    flash(_("The hub's link was replaced. The old link now says it was replaced: update where you shared it."))
    return redirect(url_for("workstation.hub_detail", hub_id=hub.id))


@bp.route("/settings/hubs/<int:hub_id>/members", methods=["POST"])
@owner_only
def add_hub_member(hub_id):
    hub = clinic_object_or_404(Hub, hub_id)
    form = AddMemberForm()
    form.professional.choices = _newcomer_choices(hub, hubs.members(hub))
    if not form.validate():
        return _render_hub(hub, 422, add_form=form)
    professional = clinic_object_or_404(Professional, int(form.professional.data))
    hubs.add_member(hub, professional, form.mode.data)
    flash(_("%(name)s was added to the hub.", name=professional.name))
    return redirect(url_for("workstation.hub_detail", hub_id=hub.id))


@bp.route("/settings/hubs/<int:hub_id>/members/<int:professional_id>/remove", methods=["POST"])
@owner_only
def remove_hub_member(hub_id, professional_id):
    hub = clinic_object_or_404(Hub, hub_id)
    member = _member_or_404(hub, professional_id)
    hubs.remove_member(member)
    flash(_("%(name)s was removed from the hub. Sessions already booked stay.", name=member.professional.name))
    return redirect(url_for("workstation.hub_detail", hub_id=hub.id))


@bp.route("/settings/hubs/<int:hub_id>/members/<int:professional_id>/mode", methods=["POST"])
def set_hub_member_mode(hub_id, professional_id):
    hub = clinic_object_or_404(Hub, hub_id)
    member = _member_or_404(hub, professional_id)
    _owner_or_self(member.professional)
    form = MemberModeForm(prefix=f"m{professional_id}")
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            form_is_fresh()
            return redirect(url_for("workstation.hub_detail", hub_id=hub.id))
        flash(_("Please choose what this hub shows."), "error")
        return _render_hub(hub, 422)
    hubs.set_member_mode(member, form.mode.data)
    flash(_("Saved: what the hub shows for %(name)s.", name=member.professional.name))
    return redirect(url_for("workstation.hub_detail", hub_id=hub.id))


@bp.route("/professionals/<int:professional_id>/languages", methods=["POST"])
def save_professional_languages(professional_id):
    professional = clinic_object_or_404(Professional, professional_id)
    _owner_or_self(professional)
    form = LanguagesForm(prefix=f"l{professional_id}")
    back = request.form.get("hub", "")
    target = url_for("workstation.hub_detail", hub_id=int(back)) if back.isdigit() else url_for("workstation.hub_list")
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            form_is_fresh()
        else:
            flash(_("Please choose among the languages listed."), "error")
        return redirect(target)
    professional_settings.set_languages(professional, form.languages.data)
    flash(_("Saved: the languages shown for %(name)s.", name=professional.name))
    return redirect(target)


@bp.route("/professionals/<int:professional_id>/booking-link/rotate", methods=["POST"])
def rotate_booking_link(professional_id):
    professional = clinic_object_or_404(Professional, professional_id)
    _owner_or_self(professional)
    if form_is_fresh():
        professional_settings.rotate_booking_link(professional)
        flash(
            _(
                "The booking link of %(name)s was replaced. The old link now says it was replaced: update where you "
                "shared it.",
                name=professional.name,
            )
        )
    return redirect(url_for("workstation.client_access", _anchor="booking-links"))

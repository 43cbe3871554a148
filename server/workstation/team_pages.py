"""Team: the owner invites colleagues, changes roles, deactivates and reactivates members, reassigns a
deactivated member's sessions, and lets the front desk decide charges or not. And the public page of an
invitation link, where a new member sets their name and password and is signed in."""

from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import appointments, booking, refusals, roles, team
from ..language_choice import offered_languages
from ..models import Appointment, Professional
from ..web import clinic_object_or_404, form_is_fresh, require
from . import bp
from .auth import sign_in
from .forms import (
    ActionForm,
    InviteForm,
    JoinForm,
    ReassignForm,
    RoleForm,
    TeamPolicyForm,
    profile_form_class,
    role_choices,
)


def _render(status=200, invite_form=None):
    members = list(team.members(g.clinic))
    bookable = list(team.bookable_members(g.clinic))
    role_forms = {member.id: RoleForm(formdata=None, role=member.role) for member in members}
    reassign = ReassignForm(formdata=None)
    reassign.professional.choices = [(str(m.id), m.name) for m in bookable]
    return render_template(
        "workstation/team.html",
        members=members,
        bookable_ids={m.id for m in bookable},
        role_forms=role_forms,
        role_names=dict(role_choices()),
        invitations=list(team.pending_invitations(g.clinic)),
        to_reassign=list(appointments.with_people(team.sessions_to_reassign(g.clinic))),
        reassign_form=reassign,
        invite_form=invite_form or InviteForm(formdata=None),
        policy_form=TeamPolicyForm(formdata=None, front_desk_decides_charges=g.clinic.front_desk_decides_charges),
        action_form=ActionForm(),
    ), status


def _back():
    return redirect(url_for("workstation.team_page"))


def _refused(error):
    flash(str(refusals.TEAM[error.code]), "error")
    return _back()


@bp.route("/team")
def team_page():
    return _render()


@bp.route("/team/invitations", methods=["POST"])
def invite_member():
    form = InviteForm()
    if not form.validate_on_submit():
        return _render(422, invite_form=form)
    try:
        team.invite(g.clinic, g.professional, form.email.data, form.role.data)
    except team.TeamError as error:
        form.email.errors.append(refusals.TEAM[error.code])
        return _render(422, invite_form=form)
    flash(_("Invitation sent. The link in it works for 7 days."))
    return _back()


@bp.route("/team/invitations/<int:invitation_id>/resend", methods=["POST"])
def resend_invitation(invitation_id):
    if form_is_fresh():
        if team.resend(g.clinic, invitation_id) is None:
            abort(404)
        flash(_("Invitation sent again. The earlier link no longer works."))
    return _back()


@bp.route("/team/invitations/<int:invitation_id>/revoke", methods=["POST"])
def revoke_invitation(invitation_id):
    if form_is_fresh():
        if team.revoke(g.clinic, invitation_id) is None:
            abort(404)
        flash(_("Invitation withdrawn. Its link no longer works."))
    return _back()


@bp.route("/team/members/<int:member_id>/role", methods=["POST"])
def change_role(member_id):
    clinic_object_or_404(Professional, member_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(str(refusals.TEAM[team.roles.NOT_A_ROLE]) if form.is_submitted() else str(refusals.EXPIRED_PAGE), "error")
        return _back()
    try:
        member = team.change_role(g.clinic, member_id, form.role.data)
    except team.TeamError as error:
        return _refused(error)
    if member is None:
        abort(404)
    flash(_("%(name)s is now: %(role)s.", name=member.name, role=dict(role_choices())[member.role]))
    return _back()


def _set_active(member_id, active):
    clinic_object_or_404(Professional, member_id)
    if not form_is_fresh():
        return _back()
    try:
        member = team.set_active(g.clinic, member_id, active)
    except team.TeamError as error:
        return _refused(error)
    if member is None:
        abort(404)
    if active:
        flash(_("%(name)s can sign in again.", name=member.name))
    else:
        flash(
            _(
                "%(name)s can no longer sign in. Their sessions stay in the calendar until you reassign them.",
                name=member.name,
            )
        )
    return _back()


@bp.route("/team/members/<int:member_id>/deactivate", methods=["POST"])
def deactivate_member(member_id):
    return _set_active(member_id, False)


@bp.route("/team/members/<int:member_id>/reactivate", methods=["POST"])
def reactivate_member(member_id):
    return _set_active(member_id, True)


@bp.route("/team/sessions/<int:appointment_id>/reassign", methods=["POST"])
def reassign_session(appointment_id):
    appointment = clinic_object_or_404(Appointment, appointment_id)
    form = ReassignForm()
    form.professional.choices = [(str(m.id), m.name) for m in team.bookable_members(g.clinic)]
    if not form.validate_on_submit():
        flash(str(refusals.EXPIRED_PAGE) if not form.is_submitted() else _("Please choose a professional."), "error")
        return _back()
    professional = next(m for m in team.bookable_members(g.clinic) if str(m.id) == form.professional.data)
    try:
        appointments.reassign(appointment, professional)
    except booking.BookingError as error:
        message = (
            refusals.TEAM[team.roles.NOT_FREE] if error.code == booking.OVERLAP else refusals.PROFESSIONAL[error.code]
        )
        flash(str(message), "error")
        return _back()
    flash(_("The session is now with %(name)s. They and the client were emailed.", name=professional.name))
    return _back()


@bp.route("/team/policy", methods=["POST"])
def save_team_policy():
    form = TeamPolicyForm()
    if form_is_fresh():
        team.allow_front_desk_charges(g.clinic, bool(form.front_desk_decides_charges.data))
        flash(_("Saved."))
    return _back()


def _invitation_page(status, **context):
    """The invitation page, which never hands its link on in a Referer."""
    response = make_response(render_template("workstation/team_invitation.html", **context), status)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/join/<token>", methods=["GET", "POST"])
def invitation(token):
    """An invitation link: a new member sets their name and password here and is signed in."""
    try:
        invited = team.open_invitation(token)
    except team.TeamError as error:
        return _invitation_page(410, problem=refusals.TEAM[error.code])
    form = JoinForm()
    if form.validate_on_submit():
        try:
            member = team.accept_invitation(token, form.name.data, form.password.data)
        except team.TeamError as error:
            return _invitation_page(410, problem=refusals.TEAM[error.code])
        sign_in(member)
        flash(_("Welcome to %(clinic)s.", clinic=invited.clinic.name))
        return redirect(url_for("workstation.requests"))
    return _invitation_page(422 if form.is_submitted() else 200, form=form, invited=invited)


def _profile_member():
    """Whose profile: one's own, or with ?member= a colleague's, which only the team's managers edit."""
    member_id = request.args.get("member", type=int)
    if member_id is None or member_id == g.professional.id:
        return g.professional
    require(roles.TEAM)
    return clinic_object_or_404(Professional, member_id)


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    """The public name, title and short profile clients read on hub and booking pages, per language."""
    member = _profile_member()
    languages = offered_languages(g.clinic)
    texts = member.profile or {}
    initial = {"public_name": member.public_name}
    for code in languages:
        initial[f"title_{code}"] = texts.get(code, {}).get("title", "")
        initial[f"about_{code}"] = texts.get(code, {}).get("about", "")
    form = profile_form_class(languages)(data=initial)
    if form.validate_on_submit():
        posted = {
            code: {"title": form[f"title_{code}"].data or "", "about": (form[f"about_{code}"].data or "").strip()}
            for code in languages
        }
        team.save_profile(member, form.public_name.data or "", posted)
        flash(_("The profile was saved. Clients see it on hub and booking pages."))
        return redirect(url_for("workstation.profile", member=None if member == g.professional else member.id))
    status = 422 if form.is_submitted() else 200
    return render_template("workstation/team_profile.html", form=form, member=member, languages=languages), status

"""A clinic's team: invitations, roles, deactivation and reactivation. Each change is one transaction, and
the invitation email is queued in it. Who may do what is server/roles.py; this module keeps the clinic
with an active owner whatever two owners do at once."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from peewee import OP, Expression

from . import accounts, clinics, links, roles
from .db import database, lock_rows
from .mail import outbox
from .models import Appointment, ChargeDecision, Client, Invitation, Professional, Request, new_nonce, utcnow
from .states import Role, SessionStatus


class TeamError(ValueError):
    """A team change refused; `code` is one of roles' refusal codes (refusals.TEAM words it)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def members(clinic):
    """Everyone of the clinic's team, active ones first, then by name."""
    return clinic.professionals.order_by(Professional.is_active.desc(), Professional.name, Professional.id)


def pending_invitations(clinic):
    return clinic.invitations.where(Invitation.accepted_at.is_null(), Invitation.revoked_at.is_null()).order_by(
        Invitation.sent_at.desc()
    )


def _check_role(role):
    if role not in set(Role):
        raise TeamError(roles.NOT_A_ROLE)


def _queue_invitation(invitation):
    clinic = invitation.clinic
    outbox.queue(
        invitation.email,
        "team_invitation",
        _l("Your invitation to %(clinic)s on Frontdesk", clinic=clinic.name),
        clinic.default_language,
        clinic=clinic,
        invitation=invitation,
        inviter=invitation.invited_by,
        role=invitation.role,
    )


def invite(clinic, inviter, email, role):
    """Invite an email address to the team with a role, and queue the email with its link."""
    _check_role(role)
    email = email.strip().lower()
    with database.atomic():
        if Professional.select().where(Professional.email == email).exists():
            raise TeamError(roles.ALREADY_MEMBER)
        if pending_invitations(clinic).where(Invitation.email == email).exists():
            raise TeamError(roles.ALREADY_INVITED)
        invitation = Invitation.create(clinic=clinic, email=email, role=role, invited_by=inviter)
        _queue_invitation(invitation)
    return invitation


def _pending(clinic, invitation_id):
    """This clinic's pending invitation, locked; None when it is not one (another clinic's, used, revoked)."""
    return lock_rows(pending_invitations(clinic).where(Invitation.id == invitation_id).order_by()).first()


def resend(clinic, invitation_id):
    """Send a pending invitation again with a new link: the old link stops working, the seven days restart."""
    with database.atomic():
        invitation = _pending(clinic, invitation_id)
        if invitation is None:
            return None
        invitation.nonce = new_nonce()
        invitation.sent_at = utcnow()
        invitation.save()
        _queue_invitation(invitation)
    return invitation


def revoke(clinic, invitation_id):
    """Withdraw a pending invitation: its link then shows that it was withdrawn."""
    with database.atomic():
        invitation = _pending(clinic, invitation_id)
        if invitation is not None:
            invitation.revoked_at = utcnow()
            invitation.save()
    return invitation


def open_invitation(token):
    """The pending invitation a link stands for, or TeamError saying why it cannot be used."""
    keys = current_app.config["SECRET_KEYS"]
    try:
        invitation_id, nonce = links.read_invitation_token(keys, token)
    except links.ExpiredLink:
        raise TeamError(roles.INVITATION_EXPIRED) from None
    except links.InvalidLink:
        raise TeamError(roles.INVITATION_INVALID) from None
    invitation = Invitation.get_or_none(Invitation.id == invitation_id)
    if invitation is None:
        raise TeamError(roles.INVITATION_INVALID)
    if invitation.accepted_at is not None:
        raise TeamError(roles.INVITATION_USED)
    if invitation.revoked_at is not None or invitation.nonce != nonce:
        raise TeamError(roles.INVITATION_REVOKED)
    if Professional.select().where(Professional.email == invitation.email).exists():
        raise TeamError(roles.ALREADY_MEMBER)
    return invitation


def accept_invitation(token, name, password):
    """Make the invited person a member with the invitation's role; the link then is used up. Of two
    submits of one link exactly one makes a member; the other is told it was used."""
    invitation = open_invitation(token)
    with database.atomic():
        current = lock_rows(Invitation.select().where(Invitation.id == invitation.id)).get()
        if current.accepted_at is not None:
            raise TeamError(roles.INVITATION_USED)
        if current.revoked_at is not None or current.nonce != invitation.nonce:
            raise TeamError(roles.INVITATION_REVOKED)
        if Professional.select().where(Professional.email == current.email).exists():
            raise TeamError(roles.ALREADY_MEMBER)
        member = clinics.add_professional(current.clinic, current.email, password, name, role=current.role)
        current.accepted_at = utcnow()
        current.member = member
        current.save()
    return member


def _lock_team(clinic):
    """Lock every member row of the clinic, so that two owners demoting or deactivating each other at once
    are served one after the other and the second sees that the first left one owner."""
    return list(lock_rows(Professional.select().where(Professional.clinic == clinic).order_by(Professional.id)))


def _active_owners(team):
    return sum(1 for m in team if m.is_active and m.role == Role.OWNER)


def _member(team, member_id):
    return next((m for m in team if m.id == member_id), None)


def change_role(clinic, member_id, role):
    """Give a member another role; the last active owner keeps theirs. None when no such member."""
    _check_role(role)
    with database.atomic():
        team = _lock_team(clinic)
        member = _member(team, member_id)
        if member is None:
            return None
        if member.is_active and not roles.may_change_role(Role.OWNER, _active_owners(team), member.role, role):
            raise TeamError(roles.LAST_OWNER)
        member.role = role
        member.save()
    return member


def set_active(clinic, member_id, active):
    """Deactivate a member (their sign-in stops at once, nothing of theirs is deleted, their future sessions
    wait to be reassigned) or reactivate them. The last active owner cannot be deactivated."""
    with database.atomic():
        team = _lock_team(clinic)
        member = _member(team, member_id)
        if member is None:
            return None
        if (
            not active
            and member.is_active
            and not roles.may_change_role(Role.OWNER, _active_owners(team), member.role, None)
        ):
            raise TeamError(roles.LAST_OWNER)
        member.is_active = active
        member.save()
        if not active:
            accounts.end_all_sessions(member)
    return member


def sessions_to_reassign(clinic, now=None):
    """Booked sessions not yet ended whose professional is deactivated, soonest first."""
    now = now or utcnow()
    deactivated = Professional.select(Professional.id).where(
        Professional.clinic == clinic,
        Professional.is_active == False,  # noqa: E712  (peewee builds SQL from ==)
    )
    return (
        Appointment.select()
        .where(
            Appointment.clinic == clinic,
            Appointment.status == SessionStatus.BOOKED,
            Appointment.ends_at > now,
            Appointment.professional.in_(deactivated),
        )
        .order_by(Appointment.starts_at)
    )


def bookable_members(clinic):
    """The active owners and professionals: who may take a session."""
    return clinic.professionals.where(
        Professional.is_active == True,  # noqa: E712
        Professional.role != Role.FRONT_DESK,
    ).order_by(Professional.name)


def bookable_for(clinic, member):
    """Whom `member` may book a session for: any active owner or professional for the owner and the front desk,
    themselves for a professional (scope)."""
    return scope(bookable_members(clinic), Professional, member)


def save_profile(member, public_name, texts):
    """A member's public name and {language: {"title", "about"}}; empty languages are dropped."""
    kept = {code: text for code, text in texts.items() if text.get("title") or text.get("about")}
    Professional.update(public_name=public_name.strip(), profile=kept).where(Professional.id == member.id).execute()
    member.public_name, member.profile = public_name.strip(), kept


def allow_front_desk_charges(clinic, allowed):
    """Whether the front desk may decide charges (the owner's choice; server/roles.py reads it)."""
    type(clinic).update(front_desk_decides_charges=allowed).where(type(clinic).id == clinic.id).execute()
    clinic.front_desk_decides_charges = allowed


def _found(first_row):
    """Whether the one-row subquery `first_row` finds a row (a scalar subquery, never hashed: see scope)."""
    return Expression(first_row, OP.IS_NOT, None)


def scope(query, model, member):
    """`query` over `model` narrowed to what the member may open: everything of the clinic for the owner
    and the front desk; for a professional their own sessions, charges and booking calendar, the requests
    addressed to them or to the clinic, the clients of those sessions and requests, and clients added by hand
    who have neither yet."""
    if roles.sees_whole_clinic(member.role):
        return query
    mine_or_clinics = Request.professional.is_null() | (Request.professional == member.id)
    own_sessions = Appointment.select(Appointment.id).where(Appointment.professional == member.id)
    if model is Request:
        return query.where(mine_or_clinics)
    if model is Appointment:
        return query.where(Appointment.professional == member.id)
    if model is ChargeDecision:
        return query.where(ChargeDecision.appointment.in_(own_sessions))
    if model is Client:
        # Each test looks up this client's own sessions and requests on the client indexes, so a page of
        # clients costs the same however long the clinic's history; `IN (SELECT …)` read it all. The tests are
        # "is there one (LIMIT 1)" rather than EXISTS: PostgreSQL, expecting to read most of the clinic's clients
        # before a page is full, turns an EXISTS into a hash of all the professional's sessions and requests
        # and of every session (65 ms at 100,000); a scalar subquery it probes client by client (1 ms).
        # A client added by hand with no session or request yet is no one's in particular: the team's.
        sessions = Appointment.select(Appointment.id).where(Appointment.client == Client.id).limit(1)
        requests = Request.select(Request.id).where(Request.client == Client.id).limit(1)
        return query.where(
            _found(sessions.where(Appointment.professional == member.id))
            | _found(requests.where(mine_or_clinics))
            | (~_found(sessions) & ~_found(requests))
        )
    if model is Professional:
        return query.where(Professional.id == member.id)
    return query

"""The audit log: who opened or changed which client's record, request, session or charge, and every
export and erasure, with the time and the address it came from.

It holds ids, never a client's details, so it outlives an erasure without keeping the person. The app
only inserts: no route updates or deletes an event. A change is recorded inside the caller's
transaction, so the event exists exactly when the change does.
"""

from flask import g, has_app_context, has_request_context, request

from .models import AuditEvent

OPENED, CHANGED, EXPORTED, ERASED, ERASURE_REQUESTED = "opened", "changed", "exported", "erased", "erasure_requested"
ACTIONS = (OPENED, CHANGED, EXPORTED, ERASED, ERASURE_REQUESTED)
CLIENT, REQUEST, SESSION, CHARGE = "client", "request", "session", "charge"
KINDS = (CLIENT, REQUEST, SESSION, CHARGE)
KIND_OF_TABLE = {"client": CLIENT, "request": REQUEST, "appointment": SESSION, "charge_decision": CHARGE}
OWNER, PROFESSIONAL, FRONT_DESK = "owner", "professional", "front_desk"  # as states.Role
CLIENT_ROLE, SYSTEM = "client", "system"


def role_of(member):
    """The member's role as the log names it: their role in the team (states.Role)."""
    return str(member.role)


def _member():
    return g.get("professional") if has_app_context() else None


def record(clinic_id, action, kind, object_id, client_id, member=None, by_client=False):
    """Add one event. The member is the signed-in professional unless given; without one it is the
    client (`by_client`, from their own link) or the system (a command)."""
    member = member or (None if by_client else _member())
    if member is not None:
        role = role_of(member)
    else:
        role = CLIENT_ROLE if by_client else SYSTEM
    return AuditEvent.create(
        clinic=clinic_id,
        member_id=member.id if member is not None else None,
        role=role,
        action=action,
        kind=kind,
        object_id=object_id,
        client_id=client_id,
        ip=(request.remote_addr or "") if has_request_context() else "",
    )


def opened(kind, row):
    """A member opened the page of this client, request, session or charge."""
    client_id = row.id if kind == CLIENT else _client_id(row)
    record(row.clinic_id, OPENED, kind, row.id, client_id)


def changed(kind, row, member=None, by_client=False):
    """A member (or the client, from their own link) changed this client, request, session or charge;
    called inside the change's transaction."""
    client_id = row.id if kind == CLIENT else _client_id(row)
    record(row.clinic_id, CHANGED, kind, row.id, client_id, member=member, by_client=by_client)


def _client_id(row):
    if hasattr(row, "client_id"):
        return row.client_id
    return row.appointment.client_id  # a charge decision


def events(clinic, client_id=None, member_id=None, kind=None, action=None, day_from=None, day_to=None):
    """The clinic's events, newest first, filtered by whichever of these is given."""
    query = AuditEvent.select().where(AuditEvent.clinic == clinic)
    if client_id is not None:
        query = query.where(AuditEvent.client_id == client_id)
    if member_id is not None:
        query = query.where(AuditEvent.member_id == member_id)
    if kind:
        query = query.where(AuditEvent.kind == kind)
    if action:
        query = query.where(AuditEvent.action == action)
    if day_from is not None:
        query = query.where(AuditEvent.at >= day_from)
    if day_to is not None:
        query = query.where(AuditEvent.at < day_to)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())

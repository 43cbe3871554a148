"""Shared web plumbing for the workstation's views: pagination, "this clinic's row or 404", who may
post a settings form, and what a form whose CSRF token no longer verifies says."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, flash, g, redirect, request, session, url_for

from . import audit, roles, team
from .form_base import PageForm
from .refusals import EXPIRED_PAGE

PAGE_SIZE = 50
LAST_PAGE = 1_000_000  # beyond any real list; keeps the OFFSET inside the database's integers


def page_number():
    """The ?page= of a paginated list: 1 when missing or not a positive number."""
    try:
        return min(max(int(request.args.get("page", "1")), 1), LAST_PAGE)
    except ValueError:
        return 1


def paginate(query, page, per_page=PAGE_SIZE):
    """(rows on this page, has_previous, has_next), reading one row beyond the page to know if there is a next.
    The query's order must be on an index so that the first pages cost the same however long the list is."""
    rows = list(query.limit(per_page + 1).offset((page - 1) * per_page))
    return rows[:per_page], page > 1, len(rows) > per_page


def clinic_object_or_404(model, object_id):
    """The signed-in clinic's row of `model` with this id, if the member's role lets them open it
    (team.scope); another clinic's id, or a colleague's row for a professional, is simply not found."""
    query = model.select().where(model.id == object_id, model.clinic == g.clinic)
    return team.scope(query, model, g.professional).first() or abort(404)


def opened_or_404(model, object_id):
    """Like clinic_object_or_404, for a page that shows a client's record, request or session: the opening
    goes into the audit log (only once the row is found, so another clinic's id leaves no trace)."""
    row = clinic_object_or_404(model, object_id)
    audit.opened(audit.KIND_OF_TABLE[model._meta.table_name], row)
    return row


def flash_expired():
    """Tell the professional that an expired form changed nothing."""
    flash(str(EXPIRED_PAGE), "error")


def form_is_fresh():
    """Whether a button's form carries a CSRF token that still verifies; says so when it does not."""
    if PageForm().validate_on_submit():
        return True
    flash_expired()
    return False


def safe_local_path(target):
    """`target` if it is a workstation path on this server, else None: never another site, and never a
    character that would break the Location header (CR, LF, other controls) or be read as a host (\\)."""
    if not target or any(ord(c) < 32 or c in "\\\x7f" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/workstation"):
        return None
    return target


def back_to_own_page(fallback):
    """Where a refused workstation form goes back to: the page it came from when that is one of ours on this
    server, else `fallback` (a Referer may name another site, which must never be redirected to)."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return fallback
    local = safe_local_path(parts.path + (f"?{parts.query}" if parts.query else ""))
    return local or fallback


def may(capability):
    """Whether the signed-in member may do this (server/roles.py): what templates are told."""
    professional = g.get("professional")
    if professional is None or not professional.is_active:
        return False
    return roles.may(professional.role, capability, g.clinic.front_desk_decides_charges)


def require(capability):
    """Forbidden (403) unless the signed-in member's role has this capability."""
    if not may(capability):
        abort(403)


def check_role():
    """Every workstation request: the member is still active (else signed out at once) and the endpoint's
    capability is one their role has. An endpoint missing from roles.ENDPOINTS is refused to everyone."""
    try:
        capability = roles.needs(request.endpoint, request.method)
    except roles.UnknownEndpoint:
        abort(403)
    if not g.professional.is_active:
        session.clear()
        g.professional = None
        return None if capability is roles.PUBLIC else redirect(url_for("workstation.login"))
    require(capability)
    return None


def require_owner():
    """Only the owner changes the clinic's settings: anyone else is forbidden."""
    require(roles.SETTINGS)


def owner_only(view):
    """A settings change only the owner may make, from a form that has not expired."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        require_owner()
        if not form_is_fresh():
            return redirect(back_to_own_page(url_for("workstation.client_access")))
        return view(*args, **kwargs)

    return wrapper

"""Shared web plumbing for the workstation's views: pagination, "this clinic's row or 404", who may
post a settings form, and what a form whose CSRF token no longer verifies says."""

from functools import wraps

from flask import abort, flash, g, redirect, request, url_for
from flask_wtf import FlaskForm

from . import audit
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
    """The signed-in clinic's row of `model` with this id; another clinic's id is simply not found."""
    return model.get_or_none(model.id == object_id, model.clinic == g.clinic) or abort(404)


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
    if FlaskForm().validate_on_submit():
        return True
    flash_expired()
    return False


def require_owner():
    """Only the clinic's owner changes the clinic's settings: anyone else is forbidden."""
    if not g.professional.is_owner:
        abort(403)


def owner_only(view):
    """A settings change only the clinic's owner may make, from a form that has not expired."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        require_owner()
        if not form_is_fresh():
            return redirect(request.referrer or url_for("workstation.client_access"))
        return view(*args, **kwargs)

    return wrapper

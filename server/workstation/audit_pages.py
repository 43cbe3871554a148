"""Privacy → Audit log (owner only): who opened or changed which record, filtered and a page at a time.
Read-only: no route changes or deletes an event."""

import datetime

from flask import g, render_template, request
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from .. import audit
from ..form_base import PageForm
from ..models import Professional
from ..web import page_number, paginate, require_owner
from . import bp

KIND_LABELS = {
    audit.CLIENT: _l("Client record"),
    audit.REQUEST: _l("Request"),
    audit.SESSION: _l("Session"),
    audit.CHARGE: _l("Charge"),
}
ACTION_LABELS = {
    audit.OPENED: _l("Opened"),
    audit.CHANGED: _l("Changed"),
    audit.EXPORTED: _l("Exported"),
    audit.ERASED: _l("Erased"),
    audit.ERASURE_REQUESTED: _l("Erasure asked for"),
}
ROLE_LABELS = {
    audit.OWNER: _l("Owner"),
    audit.PROFESSIONAL: _l("Professional"),
    audit.FRONT_DESK: _l("Front desk"),
    audit.CLIENT_ROLE: _l("The client"),
    audit.SYSTEM: _l("Frontdesk"),
}
LARGEST_ID = 2**63 - 1  # the databases' integer: a larger id is a typo, not a row


class AuditFilterForm(PageForm):
    """The filters, from the query string (a GET form changes nothing, so it needs no CSRF token)."""

    class Meta:
        csrf = False

    client = IntegerField(_l("Client number"), [Optional(), NumberRange(min=1, max=LARGEST_ID)])
    member = SelectField(_l("Team member"), coerce=str, default="")
    kind = SelectField(_l("Record"), coerce=str, default="")
    action = SelectField(_l("Action"), coerce=str, default="")
    day_from = DateField(_l("From"), [Optional()])
    day_to = DateField(_l("To"), [Optional()])


def _filter_form():
    form = AuditFilterForm(request.args)
    members = g.clinic.professionals.order_by(Professional.name)
    form.member.choices = [("", _l("Anyone"))] + [(str(m.id), m.name) for m in members]
    form.kind.choices = [("", _l("Any record"))] + list(KIND_LABELS.items())
    form.action.choices = [("", _l("Any action"))] + list(ACTION_LABELS.items())
    return form


def _bounds(form):
    """The chosen days as UTC bounds: from the start of the first to the end of the last."""
    day_from = datetime.datetime.combine(form.day_from.data, datetime.time()) if form.day_from.data else None
    day_to = (
        datetime.datetime.combine(form.day_to.data, datetime.time()) + datetime.timedelta(days=1)
        if form.day_to.data
        else None
    )
    return day_from, day_to


@bp.route("/privacy/audit")
def audit_log():
    require_owner()
    form = _filter_form()
    page = page_number()
    valid = form.validate()
    rows, has_previous, has_next = [], False, False
    if valid:
        day_from, day_to = _bounds(form)
        query = audit.events(
            g.clinic,
            client_id=form.client.data,
            member_id=int(form.member.data) if form.member.data else None,
            kind=form.kind.data or None,
            action=form.action.data or None,
            day_from=day_from,
            day_to=day_to,
        )
        rows, has_previous, has_next = paginate(query, page)
    names = {m.id: m.name for m in g.clinic.professionals}
    filters = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(
        "workstation/audit_log.html",
        form=form,
        events=rows,
        names=names,
        kinds=KIND_LABELS,
        actions=ACTION_LABELS,
        roles=ROLE_LABELS,
        filters=filters,
        page=page,
        has_previous=has_previous,
        has_next=has_next,
    ), 200 if valid else 422

"""Clients → Requests: the waitlist, one request with every answer, accept and decline."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from peewee import JOIN

from .. import booking, waitlist
from ..models import Client, Hub, Professional, Request, Service
from ..states import RequestStatus
from ..web import clinic_object_or_404, form_is_fresh, opened_or_404, page_number, paginate
from . import bp
from .clients_pages import apply_details_from
from .forms import ActionForm, DeclineForm
from .nav import pending_requests


@bp.route("/requests")
def requests():
    # Client, service and a hub request's professional and hub come in the same query, so a page costs one
    # query, not one per row.
    query = (
        pending_requests(g.clinic, g.professional)
        .select_extend(Client, Service, Professional, Hub)
        .join(Client)
        .switch(Request)
        .join(Service, JOIN.LEFT_OUTER)
        .switch(Request)
        .join(Professional, JOIN.LEFT_OUTER, on=Request.professional)
        .switch(Request)
        .join(Hub, JOIN.LEFT_OUTER)
    )
    page = page_number()
    pending, has_previous, has_next = paginate(query, page)
    return render_template(
        "workstation/requests.html", pending=pending, page=page, has_previous=has_previous, has_next=has_next
    )


def _render_detail(item, decline_form=None, status=200):
    return render_template(
        "workstation/request_detail.html",
        item=item,
        accept_form=ActionForm(),
        decline_form=decline_form or DeclineForm(),
        may_answer=booking.request_is_open(item.status),
        accepted=item.status == RequestStatus.ACCEPTED,
    ), status


@bp.route("/requests/<int:request_id>")
def request_detail(request_id):
    return _render_detail(opened_or_404(Request, request_id))


@bp.route("/requests/<int:request_id>/accept", methods=["POST"])
def accept_request(request_id):
    item = clinic_object_or_404(Request, request_id)
    if not form_is_fresh():
        return redirect(url_for("workstation.request_detail", request_id=item.id))
    try:
        waitlist.accept(item, g.professional)
    except waitlist.AlreadyDecided:
        flash(_("This request was already answered."), "error")
        return redirect(url_for("workstation.request_detail", request_id=item.id))
    flash(_("%(name)s is now one of your clients. No session is booked yet: book one below.", name=item.client.name))
    return redirect(url_for("workstation.client_detail", client_id=item.client_id))


@bp.route("/requests/<int:request_id>/apply-details", methods=["POST"])
def apply_request_details(request_id):
    """Write what the request's form said onto the client's record, once the team has reviewed it."""
    item = clinic_object_or_404(Request, request_id)
    apply_details_from(item)
    return redirect(url_for("workstation.request_detail", request_id=item.id))


@bp.route("/requests/<int:request_id>/decline", methods=["POST"])
def decline_request(request_id):
    item = clinic_object_or_404(Request, request_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _render_detail(item, form, 422)
    try:
        waitlist.decline(item, g.professional, form.message.data or "")
    except waitlist.AlreadyDecided:
        flash(_("This request was already answered."), "error")
        return redirect(url_for("workstation.request_detail", request_id=item.id))
    flash(_("The request from %(name)s was declined.", name=item.client.name))
    return redirect(url_for("workstation.requests"))

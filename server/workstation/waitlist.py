"""Clients → Requests: the waitlist, one request with every answer, accept and decline."""
from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import waitlist
from ..models import Request
from . import bp
from .auth import clinic_object_or_404
from .forms import ActionForm, DeclineForm


def pending_requests():
    return (Request.select().where(Request.clinic == g.clinic, Request.status == "pending")
            .order_by(Request.created_at.desc(), Request.id.desc()))


@bp.app_context_processor
def waitlist_count():
    """The waitlist count shown in the navigation of every workstation page."""
    if g.get("clinic") is None:
        return {}
    return {"waitlist_count": pending_requests().count()}


@bp.route("/requests")
def requests():
    return render_template("workstation/requests.html", pending=list(pending_requests()))


@bp.route("/requests/<int:request_id>")
def request_detail(request_id):
    item = clinic_object_or_404(Request, request_id)
    return render_template("workstation/request_detail.html", item=item, accept_form=ActionForm(),
                           decline_form=DeclineForm())


@bp.route("/requests/<int:request_id>/accept", methods=["POST"])
def accept_request(request_id):
    item = clinic_object_or_404(Request, request_id)
    if ActionForm().validate_on_submit():
        try:
            waitlist.accept(item, g.professional)
        except waitlist.AlreadyDecided:
            flash(_("This request was already answered."), "error")
            return redirect(url_for("workstation.request_detail", request_id=item.id))
        flash(_("%(name)s is now one of your clients. No session is booked yet: book one below.",
                name=item.client.name))
        return redirect(url_for("workstation.client_detail", client_id=item.client_id))
    flash(_("This page had expired, so nothing was changed. Please try again."), "error")
    return redirect(url_for("workstation.request_detail", request_id=item.id))


@bp.route("/requests/<int:request_id>/decline", methods=["POST"])
def decline_request(request_id):
    item = clinic_object_or_404(Request, request_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return render_template("workstation/request_detail.html", item=item, accept_form=ActionForm(),
                               decline_form=form), 422
    try:
        waitlist.decline(item, g.professional, form.message.data or "")
    except waitlist.AlreadyDecided:
        flash(_("This request was already answered."), "error")
        return redirect(url_for("workstation.request_detail", request_id=item.id))
    flash(_("The request from %(name)s was declined.", name=item.client.name))
    return redirect(url_for("workstation.requests"))

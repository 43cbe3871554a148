"""Clients → Requests: the waitlist, one request with every answer, accept and decline."""
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import JOIN

from .. import waitlist
from ..models import Client, Hub, Professional, Request, Service
from . import bp
from .auth import clinic_object_or_404
from .forms import ActionForm, DeclineForm


def pending_requests():
    return (Request.select().where(Request.clinic == g.clinic, Request.status == "pending")
            .order_by(Request.created_at.desc(), Request.id.desc()))


# Counting stops here: every workstation page shows the count, and counting a long waitlist to the end
# would make every page slower as it grows. Beyond it the page says "more than 999".
COUNT_LIMIT = 1000


@bp.app_context_processor
def waitlist_count():
    """The waitlist count shown in the navigation of every workstation page, at most COUNT_LIMIT."""
    if g.get("clinic") is None:
        return {}
    return {"waitlist_count": pending_requests().limit(COUNT_LIMIT).count(), "count_limit": COUNT_LIMIT}


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


@bp.route("/requests")
def requests():
    # Client, service and a hub request's professional and hub come in the same query, so a page costs one
    # query, not one per row.
    query = (pending_requests().select_extend(Client, Service, Professional, Hub).join(Client).switch(Request)
             .join(Service, JOIN.LEFT_OUTER).switch(Request)
             .join(Professional, JOIN.LEFT_OUTER, on=Request.professional).switch(Request)
             .join(Hub, JOIN.LEFT_OUTER))
    page = page_number()
    pending, has_previous, has_next = paginate(query, page)
    return render_template("workstation/requests.html", pending=pending, page=page, has_previous=has_previous,
                           has_next=has_next)


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

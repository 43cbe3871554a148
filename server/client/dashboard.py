"""The client's dashboard: every session at one clinic, reached by the signed link in each email.

No password and no cookie: whoever holds a fresh dashboard link is the client. A new link can always
be asked for by email, and the answer never says whether the address is known.
"""

from flask import abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from .. import booking, clients, links, reminders, waitlist
from ..form_nonces import AlreadySubmitted
from ..language_choice import switching_language
from ..limits import limiter
from ..models import Appointment, Client, Request, utcnow
from ..states import RequestStatus
from . import bp, guard, rights
from .context import use_page_of
from .forms import ActionForm, DashboardLinkForm

NEW_LINK_FORM = "dashboard-link"  # what the form token of the "email me a link" form is bound to


def _open_dashboard(token):
    """(client, None), or (None, the page that says why this link no longer opens the dashboard)."""
    keys = current_app.config["SECRET_KEYS"]
    try:
        client_id, nonce = links.read_dashboard_token(keys, token)
    except links.ExpiredLink:
        # Still the clinic's page, in the client's language, framed where its dashboard may be.
        expired = Client.get_or_none(Client.id == links.expired_dashboard_client(keys, token))
        use_page_of(expired and expired.clinic, expired)
        return None, new_link_page(_l("This link has expired. Enter your email and we will send you a new one."), 410)
    except links.InvalidLink:
        abort(404)
    client = Client.get_or_none(Client.id == client_id) or abort(404)
    use_page_of(client.clinic, client)
    if nonce != client.dashboard_nonce:
        return None, new_link_page(_l("This link was replaced. Enter your email and we will send you a new one."), 410)
    return client, None


@bp.route("/c/<token>")
def dashboard(token):
    client, refusal = _open_dashboard(token)
    return refusal or _render_dashboard(client, token)


def _render_dashboard(client, token, notice=None, status=200, reminders_problem=None, reminders_saved=False):
    now = utcnow()
    sessions = [(s, _client_may(s, client.clinic, now)) for s in client.appointments.order_by(Appointment.starts_at)]
    waiting = client.requests.where(Request.status == RequestStatus.PENDING).order_by(Request.created_at)
    form = ActionForm(formdata=None)
    form.form_token.data = guard.issue(token)
    return render_template(
        "client/dashboard.html",
        client=client,
        clinic=client.clinic,
        token=token,
        form=form,
        notice=notice,
        waiting=list(waiting),
        upcoming=[(s, may) for s, may in sessions if s.ends_at > now],
        past=[(s, may) for s, may in reversed(sessions) if s.ends_at <= now],
        data_form=rights.data_rights(token),
        reminders_form=form,
        reminders_problem=reminders_problem,
        reminders_saved=reminders_saved,
    ), status


@bp.route("/c/<token>/requests/<int:request_id>/withdraw", methods=["POST"])
def withdraw_request(token, request_id):
    """Take back a request still on the waitlist; another client's request is a 404."""
    client, refusal = _open_dashboard(token)
    if refusal:
        return refusal
    waiting = Request.get_or_none(Request.id == request_id, Request.client == client) or abort(404)
    problem, _ = guard.check(ActionForm(), token, min_seconds=0)
    if problem:
        return _render_dashboard(client, token, problem, 422)
    try:
        waitlist.withdraw(waiting)
    except waitlist.AlreadyDecided:
        return _render_dashboard(client, token, _l("The clinic had already answered this request."), 409)
    return _render_dashboard(client, token, _l("Your request was withdrawn. The clinic will not contact you about it."))


@bp.route("/c/<token>/reminders", methods=["POST"])
def dashboard_reminders(token):
    """Turn reminder emails on or off. Only a current dashboard link may; anything else changes nothing."""
    client, refused = _open_dashboard(token)
    if refused:
        return refused
    form = ActionForm()
    choice = request.form.get("reminders")
    problem, form_nonce = guard.check(form, token, min_seconds=0)
    if problem is None and choice not in ("on", "off"):
        problem = _l("Please choose whether to get reminders.")
    if problem:
        return _render_dashboard(client, token, status=422, reminders_problem=problem)
    try:
        reminders.set_client_reminders(client, choice == "on", form_nonce)
    except AlreadySubmitted:
        pass  # the first submission stands, and the page shows it
    return _render_dashboard(Client.get_by_id(client.id), token, reminders_saved=True)


def _client_may(session, clinic, now):
    return booking.client_permissions(
        session.channel,
        session.status,
        session.starts_at,
        now,
        clinic.policy_hours,
        moved=session.rescheduled_to_id is not None,
    )


def new_link_page(notice=None, status=200, form=None, problem=None, sent=False):
    """The "email me a link" page: also what an expired or replaced link shows instead of what it named."""
    form = form or DashboardLinkForm(formdata=None)
    form.form_token.data = guard.issue(NEW_LINK_FORM)
    return render_template("client/dashboard_link.html", form=form, notice=notice, problem=problem, sent=sent), status


@bp.route("/c/", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def new_dashboard_link():
    """Ask for a fresh dashboard link to every clinic account with this address (the mail worker looks it up and
    sends it); say the same, after the same work, either way."""
    if request.method == "GET":
        return new_link_page()
    form = DashboardLinkForm()
    if switching_language():
        return new_link_page(form=form)
    problem, nonce = guard.check(form, NEW_LINK_FORM)
    if problem or not form.validate():
        return new_link_page(form=form, problem=problem, status=422)
    clients.email_dashboard_links(form.email.data, nonce)
    return new_link_page(sent=True)

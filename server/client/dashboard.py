"""The client's dashboard: every session at one clinic, reached by the signed link in each email.

No password and no cookie: whoever holds a fresh dashboard link is the client. A new link can always
be asked for by email, and the answer never says whether the address is known.
"""

from flask import abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from .. import booking, clients, links
from ..language_choice import switching_language
from ..limits import limiter
from ..models import Appointment, Client, utcnow
from . import bp, guard, rights
from .context import use_page_of
from .forms import DashboardLinkForm

NEW_LINK_FORM = "dashboard-link"  # what the form token of the "email me a link" form is bound to


@bp.route("/c/<token>")
def dashboard(token):
    keys = current_app.config["SECRET_KEYS"]
    try:
        client_id, nonce = links.read_dashboard_token(keys, token)
    except links.ExpiredLink:
        # Still the clinic's page, in the client's language, framed where its dashboard may be.
        expired = Client.get_or_none(Client.id == links.expired_dashboard_client(keys, token))
        use_page_of(expired and expired.clinic, expired)
        return new_link_page(_l("This link has expired. Enter your email and we will send you a new one."), 410)
    except links.InvalidLink:
        abort(404)
    client = Client.get_or_none(Client.id == client_id) or abort(404)
    use_page_of(client.clinic, client)
    if nonce != client.dashboard_nonce:
        return new_link_page(_l("This link was replaced. Enter your email and we will send you a new one."), 410)
    now = utcnow()
    sessions = [(s, _client_may(s, client.clinic, now)) for s in client.appointments.order_by(Appointment.starts_at)]
    return render_template(
        "client/dashboard.html",
        client=client,
        clinic=client.clinic,
        upcoming=[(s, may) for s, may in sessions if s.ends_at > now],
        past=[(s, may) for s, may in reversed(sessions) if s.ends_at <= now],
        data_form=rights.data_rights(token),
        token=token,
    )


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
    form = form or DashboardLinkForm(formdata=None)
    form.form_token.data = guard.issue(NEW_LINK_FORM)
    return render_template("client/dashboard_link.html", form=form, notice=notice, problem=problem, sent=sent), status


@bp.route("/c/", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def new_dashboard_link():
    """Email a fresh dashboard link to every clinic account with this address; say the same either way."""
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

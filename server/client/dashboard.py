"""The client's dashboard: every session at one clinic, reached by the signed link in each email.

No password and no cookie: whoever holds a fresh dashboard link is the client. A new link can always
be asked for by email, and the answer never says whether the address is known.
"""
import peewee
from flask import abort, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l

from .. import links
from ..language_choice import switching_language
from ..db import database
from ..limits import limiter
from ..mail import outbox
from ..models import Appointment, Client, UsedFormToken, utcnow
from . import bp, guard
from .forms import DashboardLinkForm

NEW_LINK_FORM = "dashboard-link"  # what the form token of the "email me a link" form is bound to


@bp.route("/c/<token>")
def dashboard(token):
    keys = current_app.config["SECRET_KEYS"]
    try:
        client_id, nonce = links.read_dashboard_token(keys, token)
    except links.ExpiredLink:
        # Still the clinic's page, in the client's language, framed where its dashboard may be.
        _use_client(Client.get_or_none(Client.id == links.expired_dashboard_client(keys, token)))
        return _new_link_page(_l("This link has expired. Enter your email and we will send you a new one."), 410)
    except links.InvalidLink:
        abort(404)
    client = Client.get_or_none(Client.id == client_id) or abort(404)
    _use_client(client)
    if nonce != client.dashboard_nonce:
        return _new_link_page(_l("This link was replaced. Enter your email and we will send you a new one."), 410)
    now = utcnow()
    sessions = client.appointments.order_by(Appointment.starts_at)
    return render_template("client/dashboard.html", client=client, clinic=client.clinic, now=now,
                           upcoming=[s for s in sessions if s.ends_at > now],
                           past=[s for s in reversed(list(sessions)) if s.ends_at <= now])


def _use_client(client):
    """The page is the client's clinic's: in their language, framed only where the clinic allows."""
    if client is not None:
        g.client_language = client.language
        g.clinic_language = client.clinic.default_language
        g.frame_clinic = client.clinic
    g.page_client = client


def _new_link_page(notice=None, status=200, form=None, problem=None, sent=False):
    form = form or DashboardLinkForm(formdata=None)
    form.form_token.data = guard.issue(NEW_LINK_FORM)
    return render_template("client/dashboard_link.html", form=form, notice=notice, problem=problem, sent=sent), status


@bp.route("/c/", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def new_dashboard_link():
    """Email a fresh dashboard link to every clinic account with this address; say the same either way."""
    if request.method == "GET":
        return _new_link_page()
    form = DashboardLinkForm()
    if switching_language():
        return _new_link_page(form=form)
    problem, nonce = guard.check(form, NEW_LINK_FORM)
    if problem or not form.validate():
        return _new_link_page(form=form, problem=problem, status=422)
    try:
        with database.atomic():
            UsedFormToken.create(nonce=nonce)  # a replayed or double-submitted form sends nothing more
            for client in Client.select().where(Client.email == form.email.data.strip().lower()):
                outbox.queue(client.email, "dashboard_link",
                           _l("Your link to your sessions with %(clinic)s", clinic=client.clinic.name),
                           client.language or client.clinic.default_language, client=client, clinic=client.clinic)
    except peewee.IntegrityError:
        if UsedFormToken.get_or_none(UsedFormToken.nonce == nonce) is None:
            raise
    return _new_link_page(sent=True)

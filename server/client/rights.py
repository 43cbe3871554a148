"""The client's own rights from their dashboard: a copy of their data, and asking to be erased.

Both need a fresh link (emailed within the last hour), not merely a valid one: a dashboard link lives 30
days in an inbox that may be shared, and a copy of everything is worth more than a list of sessions. An
older link is told to ask for a new one, which goes to the address on record.
"""

from flask import abort, current_app, render_template
from flask_babel import lazy_gettext as _l

from .. import links, privacy, registration
from ..limits import limiter
from ..models import Client
from ..workstation.privacy_pages import download
from . import bp, dashboard, guard
from .context import use_page_of
from .forms import PublicForm

bp.add_app_template_global(registration.notice_url, "privacy_notice_url")

FRESH_SECONDS = 60 * 60
NOT_FRESH = _l(
    "For your safety, downloading or erasing your data needs a link we emailed you in the last hour. "
    "Enter your email and we will send you a new one."
)


class ErasureRequestForm(PublicForm):
    """Only the form token: the confirm button itself."""


def is_fresh(token):
    """Whether this dashboard link was emailed within FRESH_SECONDS (its signature carries the time)."""
    try:
        links.read_dashboard_token(current_app.config["SECRET_KEYS"], token, max_age=FRESH_SECONDS)
    except (links.ExpiredLink, links.InvalidLink):
        return False
    return True


def data_rights(token):
    """What the dashboard offers about the client's data: the erasure form when its link is fresh, else None."""
    if not is_fresh(token):
        return None
    form = ErasureRequestForm(formdata=None)
    form.form_token.data = guard.issue(token)
    return form


def _fresh_client(token):
    """The client of a current, fresh dashboard link; a stale or replaced one gets the new-link page."""
    try:
        client_id, nonce = links.read_dashboard_token(current_app.config["SECRET_KEYS"], token)
    except links.ExpiredLink:
        return None, dashboard.new_link_page(NOT_FRESH, 410)
    except links.InvalidLink:
        abort(404)
    client = Client.get_or_none(Client.id == client_id) or abort(404)
    use_page_of(client.clinic, client)
    if nonce != client.dashboard_nonce or client.erased_at is not None or not is_fresh(token):
        return None, dashboard.new_link_page(NOT_FRESH, 410)
    return client, None


@bp.route("/c/<token>/export")
def export_own_data(token):
    client, refusal = _fresh_client(token)
    if refusal:
        return refusal
    return download(privacy.export(client, by_client=True), privacy.export_filename(client))


@bp.route("/c/<token>/erase", methods=["POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"])
def ask_for_erasure(token):
    client, refusal = _fresh_client(token)
    if refusal:
        return refusal
    problem, nonce = guard.check(ErasureRequestForm(), token, min_seconds=0)
    if problem:
        return render_template("client/erasure_asked.html", clinic=client.clinic, token=token, problem=problem), 422
    privacy.request_erasure(client)
    return render_template("client/erasure_asked.html", clinic=client.clinic, token=token, problem=None)

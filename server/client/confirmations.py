"""A confirmation page shown again in another language. A request or booking's confirmation answers a
POST, so its language switcher cannot link to "this page": it posts a signed, timed token of what was
confirmed (in the form's body, never in an address) and gets the same confirmation in the new language,
without telling the website about it a second time."""

from flask import abort, current_app, render_template, request

from .. import links
from ..models import Appointment, Request
from . import bp
from .context import use_page_of

KINDS = {"request": Request, "booking": Appointment}


def token_for(kind, row):
    """The token a confirmation page of `row` carries for its language switcher."""
    return links.confirmation_token(current_app.config["SECRET_KEYS"], kind, row.id)


@bp.route("/confirmation", methods=["POST"])
def confirmation():
    keys, token = current_app.config["SECRET_KEYS"], request.form.get("shown", "")
    try:
        kind, object_id = links.read_confirmation_token(keys, token)
    except links.ExpiredLink:
        kind, object_id = links.read_confirmation_token(keys, token, max_age=None)
        row = KINDS[kind].get_or_none(KINDS[kind].id == object_id) or abort(404)
        use_page_of(row.clinic)
        return render_template("client/confirmation_gone.html", clinic=row.clinic), 410
    except links.InvalidLink:
        abort(404)
    row = KINDS[kind].get_or_none(KINDS[kind].id == object_id) or abort(404)
    use_page_of(row.clinic)
    if kind == "request":
        return render_template("client/request_sent.html", clinic=row.clinic, email=row.client.email, shown=token)
    return render_template("client/book_done.html", clinic=row.clinic, appointment=row, shown=token)

"""Friendly, translated pages for the HTTP errors people can meet."""

from flask import current_app, g, render_template
from flask_babel import lazy_gettext as _l

from .db import UNAVAILABLE

# Seconds a client (or a proxy) is asked to wait when the database is briefly away.
RETRY_AFTER = 5

MESSAGES = {
    400: (_l("Something was wrong with that action"), _l("Please go back and try again.")),
    403: (_l("Not allowed"), _l("You do not have access to this page.")),
    404: (
        _l("This page does not exist"),
        _l("The link may be incomplete or mistyped. Please check it, or ask whoever sent it for a new one."),
    ),
    405: (_l("Something was wrong with that action"), _l("Please go back and try again.")),
    410: (_l("This link was replaced"), _l("Please ask whoever sent it for the current link.")),
    413: (_l("That was too much to send"), _l("Please shorten your answers and send the form again.")),
    429: (_l("Too many attempts"), _l("Please wait a minute and try again.")),
    500: (_l("Something went wrong on our side"), _l("Nothing was changed. Please try again in a moment.")),
}
# The database was away (locked, restarting): the transaction was rolled back, so the 500 page's words
# hold, but the status tells clients and load balancers that trying again is right.
MESSAGES[503] = MESSAGES[500]


def render_error(code, title=None, detail=None):
    default_title, default_detail = MESSAGES.get(code, MESSAGES[500])
    return render_template("error.html", title=title or default_title, detail=detail or default_detail), code


def database_unavailable(error):
    """A 503 instead of a stack trace when the database cannot be reached or stays locked. The page is
    drawn without asking the database again: the workstation's navigation would count the waitlist."""
    current_app.logger.warning("database unavailable: %s", error)
    g.pop("clinic", None)
    body, status = render_error(503)
    return body, status, {"Retry-After": str(RETRY_AFTER)}


def init_app(app):
    for code in MESSAGES:
        app.register_error_handler(code, lambda error, code=code: render_error(code))
    for error in UNAVAILABLE:
        app.register_error_handler(error, database_unavailable)

"""Friendly, translated pages for the HTTP errors people can meet."""
from flask import render_template
from flask_babel import lazy_gettext as _l

MESSAGES = {
    400: (_l("Something was wrong with that request"), _l("Please go back and try again.")),
    403: (_l("Not allowed"), _l("You do not have access to this page.")),
    404: (_l("This page does not exist"), _l("The link may be incomplete or mistyped. Please check it, or ask whoever sent it for a new one.")),
    405: (_l("Something was wrong with that request"), _l("Please go back and try again.")),
    410: (_l("This link was replaced"), _l("Please ask whoever sent it for the current link.")),
    413: (_l("That was too much to send"), _l("Please shorten your answers and send the form again.")),
    429: (_l("Too many attempts"), _l("Please wait a minute and try again.")),
    500: (_l("Something went wrong on our side"), _l("Nothing was changed. Please try again in a moment.")),
}


def render_error(code, title=None, detail=None):
    default_title, default_detail = MESSAGES.get(code, MESSAGES[500])
    return render_template("error.html", title=title or default_title, detail=detail or default_detail), code


def init_app(app):
    for code in MESSAGES:
        app.register_error_handler(code, lambda error, code=code: render_error(code))

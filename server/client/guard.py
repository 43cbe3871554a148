"""Public forms without cookies: the signed form token, the honeypot and the minimum fill time.

Every client-facing form carries a token issued when the page was shown (links.form_token), bound
to the page's own link, so a form cannot be replayed against another link or kept for later.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import links


def issue(link_token):
    return links.form_token(current_app.config["SECRET_KEYS"], link_token)


def check(form, link_token, min_seconds=None):
    """(problem, nonce): why this submission cannot be taken, or None and the form's one-time nonce.

    `min_seconds` defaults to FORM_MIN_SECONDS for forms people type into; a confirm button passes 0.
    """
    config = current_app.config
    if getattr(form, "website", None) is not None and form.website.data:
        return _l("This form looked automatically filled in, so it was not sent. Please try again."), None
    try:
        nonce = links.read_form_token(
            config["SECRET_KEYS"],
            form.form_token.data or "",
            link_token,
            config["FORM_MAX_AGE"],
            config["FORM_MIN_SECONDS"] if min_seconds is None else min_seconds,
        )
    except links.ExpiredLink:
        return _l(
            "This form was open for a long time, so it was not sent. Please check your answers and send it again."
        ), None
    except links.InvalidLink:
        return _l(
            "This form could not be verified, so it was not sent. Please check your answers and send it again."
        ), None
    except links.TooFast:
        return _l(
            "That was quicker than we expected, so the form was not sent. Please check your answers and send it again."
        ), None
    return None, nonce

"""Response headers for every page, and token redaction in the request log.

Client pages are meant to be framed by clinic websites and reached through signed links, so they set
no cookies, are never cached and never leak their URL in a Referer. Which websites may frame them is
the clinic's own list (server/framing.py): a client view names the clinic in `g.frame_clinic` as soon
as it knows it, even on a page that only says the link was replaced. Workstation pages cannot be framed.
"""

import logging
import re

from flask import current_app, g, request

from .framing import frame_ancestors
from .links import redact

TOKEN_PATH = re.compile(r"(/(?:[rbhmcf]|join|confirm)/|/workstation/reset/)([A-Za-z0-9_\-\.]{9,})")
# Old embeds put a name and an email in the frame's address; a log keeps neither.
PERSONAL_QUERY = re.compile(r"([?&](?:name|email)=)[^&\s\"]*")


def redact_path(text):
    """`text` (a path, a request line) with its tokens shortened and any name or email left out."""
    return PERSONAL_QUERY.sub(r"\1…", TOKEN_PATH.sub(lambda m: m.group(1) + redact(m.group(2)), text))


class RedactTokens(logging.Filter):
    """Shortens signed tokens in request-log lines so that a log never holds a usable link."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact_path(record.msg)
        if record.args:
            record.args = tuple(redact_path(a) if isinstance(a, str) else a for a in record.args)
        return True


def is_client_page():
    return request.blueprint == "client"


# In production (HTTPS only, server/config.py) browsers are told to use nothing else for a year.
HSTS = "max-age=31536000"
# Stylesheets, scripts and images are never pages: should one be opened as a document (an SVG, say),
# it may load and run nothing and be framed by nobody.
FILE_CSP = "default-src 'none'; frame-ancestors 'none'"


def set_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if current_app.config["ENV"] == "production":
        response.headers["Strict-Transport-Security"] = HSTS
    if is_client_page():
        clinic = g.get("frame_clinic")
        ancestors = frame_ancestors(clinic.allowed_origins if clinic else [], request.path)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    elif request.path.startswith("/static/"):
        response.headers["Content-Security-Policy"] = FILE_CSP
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
    else:
        ancestors = "'none'"
        response.headers["X-Frame-Options"] = "DENY"
        # A workstation page reached by a signed link (a reset, an invitation) has already said no-referrer.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors {ancestors}"
    )
    return response


def init_app(app):
    app.after_request(set_headers)
    logging.getLogger("werkzeug").addFilter(RedactTokens())

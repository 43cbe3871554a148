"""Signed links and form tokens (itsdangerous). Tokens carry ids only, never names or emails.

Each kind of token has its own salt, so a token of one kind never verifies as another. Keys come
from FRONTDESK_SECRET_KEYS, newest first; older keys still verify, which is how keys are rotated.
"""
import secrets
import time

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

REQUEST_LINK = "frontdesk.request-link"
FORM = "frontdesk.form"


class InvalidLink(Exception):
    """The token was tampered with, truncated, or signed by a key we no longer hold."""


class ExpiredLink(InvalidLink):
    """The token was genuine but is older than it may be."""


class ReplacedLink(Exception):
    """The token was genuine but its link has since been rotated."""


class TooFast(Exception):
    """A public form came back sooner than a person could have filled it in."""


def _serializer(secret_keys, salt, timed=False):
    # itsdangerous signs with the last key and verifies with all of them.
    keys = list(reversed(secret_keys))
    cls = URLSafeTimedSerializer if timed else URLSafeSerializer
    return cls(keys, salt=salt)


def request_token(secret_keys, clinic):
    return _serializer(secret_keys, REQUEST_LINK).dumps([clinic.id, clinic.request_link_version])


def read_request_token(secret_keys, token):
    """Return (clinic_id, link_version) of a request-link token."""
    try:
        clinic_id, version = _serializer(secret_keys, REQUEST_LINK).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise InvalidLink(token) from None
    return clinic_id, version


def check_version(token_version, current_version):
    if token_version != current_version:
        raise ReplacedLink()


def form_token(secret_keys, link_token):
    """A token for one showing of a public form: bound to its link, used once, and timed."""
    payload = {"link": link_token, "nonce": secrets.token_urlsafe(16), "shown": time.time()}
    return _serializer(secret_keys, FORM, timed=True).dumps(payload)


def read_form_token(secret_keys, token, link_token, max_age, min_seconds, now=None):
    """Return the nonce of a form token issued for `link_token`, or raise why it cannot be used."""
    serializer = _serializer(secret_keys, FORM, timed=True)
    try:
        payload = serializer.loads(token, max_age=max_age)
    except SignatureExpired:
        raise ExpiredLink(token) from None
    except (BadSignature, ValueError, TypeError):
        raise InvalidLink(token) from None
    if not isinstance(payload, dict) or payload.get("link") != link_token:
        raise InvalidLink(token)
    now = time.time() if now is None else now
    if now - payload["shown"] < min_seconds:
        raise TooFast()
    return payload["nonce"]


def redact(token):
    """A token shortened for logs: enough to tell two apart, not enough to use."""
    return token[:8] + "…" if len(token) > 8 else token

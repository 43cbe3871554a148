"""Signed links and form tokens (itsdangerous). Tokens carry ids only, never names or emails.

Each kind of token has its own salt, so a token of one kind never verifies as another. Keys come
from FRONTDESK_SECRET_KEYS, newest first; older keys still verify, which is how keys are rotated.
"""

import datetime
import secrets
import time

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

REQUEST_LINK = "frontdesk.request-link"
BOOKING_LINK = "frontdesk.booking-link"
HUB_LINK = "frontdesk.hub-link"
MANAGE_LINK = "frontdesk.manage-link"
DASHBOARD_LINK = "frontdesk.dashboard-link"
REQUESTED_DASHBOARD_LINK = "frontdesk.requested-dashboard-link"
CALENDAR_FEED = "frontdesk.calendar-feed"
FORM = "frontdesk.form"
CONFIRMATION = "frontdesk.confirmation"
HOLD_CONFIRM = "frontdesk.hold-confirm"

DASHBOARD_MAX_AGE = 30 * 24 * 3600  # a dashboard link works for 30 days; a new one is a click away
# A dashboard link asked for by email ("email me a link") works for a day: it answers a request made now.
REQUESTED_DASHBOARD_MAX_AGE = 24 * 3600
# A manage link shows its session for a week after the session ends (the client may still look it up),
# then it has expired: it no longer names the session at all.
MANAGE_GRACE = datetime.timedelta(days=7)
CONFIRMATION_MAX_AGE = 3600  # a confirmation can be shown again in another language for an hour
INVITATION = "frontdesk.invitation"

DASHBOARD_MAX_AGE = 30 * 24 * 3600  # a dashboard link works for 30 days; a new one is a click away
INVITATION_MAX_AGE = 7 * 24 * 3600  # an invitation to a clinic's team works for 7 days; the owner may resend it


class InvalidLink(Exception):
    """The token was tampered with, truncated, or signed by a key we no longer hold."""


class ExpiredLink(InvalidLink):
    """The token was genuine but is older than it may be."""


class ReplacedLink(Exception):
    """The token was genuine but its link has since been rotated."""


class TooFast(Exception):
    """A public form came back sooner than a person could have filled it in."""


def _serializer(secret_keys, salt, timed=False, serializer=None):
    # itsdangerous signs with the last key and verifies with all of them.
    keys = list(reversed(secret_keys))
    cls = URLSafeTimedSerializer if timed else URLSafeSerializer
    return cls(keys, salt=salt, serializer=serializer)


def seal(secret_keys, salt, value, serializer):
    """`value` as signed text, made by `serializer` (with dumps and loads, e.g. pickle): for what the app stores
    and reads back itself and must not take from anyone else (the outbox's drafts)."""
    return _serializer(secret_keys, salt, serializer=serializer).dumps(value)


def unseal(secret_keys, salt, sealed, serializer):
    """What `seal` sealed; raises itsdangerous.BadSignature, before reading anything, for text it did not seal."""
    return _serializer(secret_keys, salt, serializer=serializer).loads(sealed)


def _dump(secret_keys, salt, object_id, version, timed=False):
    return _serializer(secret_keys, salt, timed).dumps([object_id, version])


def _load(secret_keys, salt, token, timed=False, max_age=None):
    """Return (id, version) of a token of one kind, or raise why it cannot be used."""
    serializer = _serializer(secret_keys, salt, timed)
    try:
        object_id, version = serializer.loads(token, max_age=max_age) if timed else serializer.loads(token)
    except SignatureExpired:
        raise ExpiredLink(token) from None
    except (BadSignature, ValueError, TypeError):
        raise InvalidLink(token) from None
    return object_id, version


def request_token(secret_keys, clinic):
    return _dump(secret_keys, REQUEST_LINK, clinic.id, clinic.request_link_version)


def read_request_token(secret_keys, token):
    """Return (clinic_id, link_version) of a request-link token."""
    return _load(secret_keys, REQUEST_LINK, token)


def booking_token(secret_keys, professional):
    return _dump(secret_keys, BOOKING_LINK, professional.id, professional.booking_link_version)


def read_booking_token(secret_keys, token):
    """Return (professional_id, link_version)."""
    return _load(secret_keys, BOOKING_LINK, token)


def hub_token(secret_keys, hub):
    return _dump(secret_keys, HUB_LINK, hub.id, hub.link_version)


def read_hub_token(secret_keys, token):
    """Return (hub_id, link_version)."""
    return _load(secret_keys, HUB_LINK, token)


def manage_token(secret_keys, appointment):
    return _dump(secret_keys, MANAGE_LINK, appointment.id, appointment.manage_nonce)


def read_manage_token(secret_keys, token):
    """Return (appointment_id, nonce): a nonce that no longer matches means the link is used up."""
    return _load(secret_keys, MANAGE_LINK, token)


def manage_link_expired(session_ends_at, now):
    """Whether a session's manage link has expired: a week after the session's end (MANAGE_GRACE)."""
    return now > session_ends_at + MANAGE_GRACE


def hold_token(secret_keys, appointment):
    """The link in a held session's email that confirms it, and does nothing else. Timed: past the longest hold
    any clinic may set it is simply expired; within it, the session's own hold_until says whether it lapsed."""
    return _dump(secret_keys, HOLD_CONFIRM, appointment.id, appointment.uid, timed=True)


def read_hold_token(secret_keys, token, max_age):
    """Return (appointment_id, uid); raises InvalidLink, or ExpiredLink once older than `max_age` seconds."""
    return _load(secret_keys, HOLD_CONFIRM, token, timed=True, max_age=max_age)


def dashboard_token(secret_keys, client, requested=False):
    """A dashboard link: in every confirmation (30 days), or `requested` by email just now (a day)."""
    salt = REQUESTED_DASHBOARD_LINK if requested else DASHBOARD_LINK
    return _dump(secret_keys, salt, client.id, client.dashboard_nonce, timed=True)


def read_dashboard_token(secret_keys, token, max_age=None):
    """Return (client_id, nonce) of either kind of dashboard link; raises ExpiredLink once its time is up, or
    once it is older than `max_age` seconds when that is shorter (what a client's data needs: a fresh link)."""

    def limit(kind_max_age):
        return kind_max_age if max_age is None else min(max_age, kind_max_age)

    try:
        return _load(
            secret_keys, REQUESTED_DASHBOARD_LINK, token, timed=True, max_age=limit(REQUESTED_DASHBOARD_MAX_AGE)
        )
    except ExpiredLink:
        raise
    except InvalidLink:
        return _load(secret_keys, DASHBOARD_LINK, token, timed=True, max_age=limit(DASHBOARD_MAX_AGE))


def expired_dashboard_client(secret_keys, token):
    """The client id of a genuine dashboard token however old, so an expired link can offer a new one."""
    for salt in (DASHBOARD_LINK, REQUESTED_DASHBOARD_LINK):
        try:
            return _load(secret_keys, salt, token, timed=True)[0]
        except InvalidLink:
            continue
    return None


def confirmation_token(secret_keys, kind, object_id):
    """A token that lets the page confirming `kind` ("request", "booking") of `object_id` be shown again
    in another language. It travels in a form's body only, never in an address, and is timed."""
    return _dump(secret_keys, CONFIRMATION, kind, object_id, timed=True)


def read_confirmation_token(secret_keys, token, max_age=CONFIRMATION_MAX_AGE):
    """Return (kind, object_id); raises InvalidLink (or ExpiredLink after an hour)."""
    return _load(secret_keys, CONFIRMATION, token, timed=True, max_age=max_age)


def invitation_token(secret_keys, invitation):
    return _dump(secret_keys, INVITATION, invitation.id, invitation.nonce, timed=True)


def read_invitation_token(secret_keys, token, max_age=INVITATION_MAX_AGE):
    """Return (invitation_id, nonce); raises ExpiredLink after 7 days. A nonce that no longer matches means the
    invitation was sent again or revoked."""
    return _load(secret_keys, INVITATION, token, timed=True, max_age=max_age)


def feed_token(secret_keys, professional):
    return _dump(secret_keys, CALENDAR_FEED, professional.id, professional.feed_version)


def read_feed_token(secret_keys, token):
    """Return (professional_id, feed_version) of a calendar subscription token."""
    return _load(secret_keys, CALENDAR_FEED, token)


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

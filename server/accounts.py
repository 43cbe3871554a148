"""A team member's own account: sign-in sessions kept on the server, password change and reset, and
two-step sign-in with an authenticator app and recovery codes.

A browser holds only a random session token (in the workstation cookie); the `MemberSession` row keeps its
SHA-256. Ending a session deletes its row, so a copied cookie stops working on the next request. No Flask
here beyond what the outbox needs: the blueprint passes in the settings and the request's details.
"""

import datetime
import hashlib
import hmac
import ipaddress
import secrets

import pyotp
import segno
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from .db import database, lock_rows
from .mail import outbox
from .models import Clinic, MemberSession, Professional, RecoveryCode, utcnow

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 200  # far beyond any passphrase; keeps a hash from being asked to chew megabytes
RESET_MAX_AGE = 3600  # a reset link works for one hour
RESET_SALT = "frontdesk.password-reset"
RECOVERY_CODES = 10
WRONG_CODES_ALLOWED = 5  # wrong second-step codes before the half-finished sign-in is ended
CODE_WAIT_MINUTES = 10  # how long a sign-in may wait for its second step
LAST_USED_PRECISION = datetime.timedelta(minutes=1)  # how stale last_used_at may be before it is written
USER_AGENT_LENGTH = 120
ISSUER = "Frontdesk"


class WrongPassword(ValueError):
    """The current password given does not match."""


class WeakPassword(ValueError):
    """A new password shorter or longer than allowed."""


class WrongCode(ValueError):
    """An authenticator or recovery code that is wrong, or already used."""


class TooManyCodes(WrongCode):
    """So many wrong codes that the half-finished sign-in was ended: start again with the password."""


class InvalidReset(ValueError):
    """A reset link that was tampered with or cut short."""


class ExpiredReset(InvalidReset):
    """A genuine reset link older than an hour."""


class UsedReset(InvalidReset):
    """A genuine reset link whose password has changed since it was sent (it was used, or is stale)."""


def _digest(value):
    return hashlib.sha256(value.encode()).hexdigest()


# --- sessions -------------------------------------------------------------------------------------------


def _network(address):
    """The network an address belongs to (/24, or /48 for IPv6): enough to recognise a place, not a person."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def start_session(professional, user_agent="", address="", awaiting_code=False):
    """A new sign-in for `professional`; returns the token its browser keeps (and nothing else does)."""
    token = secrets.token_urlsafe(32)
    MemberSession.create(
        token_hash=_digest(token),
        professional=professional,
        user_agent=(user_agent or "")[:USER_AGENT_LENGTH],
        network=_network(address),
        awaiting_code=awaiting_code,
    )
    return token


def _expired(row, idle_minutes, max_hours, now):
    if row.awaiting_code:
        return now - row.created_at > datetime.timedelta(minutes=CODE_WAIT_MINUTES)
    return now - row.last_used_at > datetime.timedelta(
        minutes=idle_minutes
    ) or now - row.created_at > datetime.timedelta(hours=max_hours)


def session_for(token, idle_minutes, max_hours, now=None):
    """The live session a browser's token names (with its member), or None: unknown, ended, idle too long or
    too old. An expired row is deleted; a used one has its last use noted (at most once a minute)."""
    if not token or not isinstance(token, str):
        return None
    row = (
        MemberSession.select(MemberSession, Professional)
        .join(Professional)
        .where(MemberSession.token_hash == _digest(token))
        .first()
    )
    if row is None:
        return None
    now = now or utcnow()
    if _expired(row, idle_minutes, max_hours, now):
        MemberSession.delete().where(MemberSession.id == row.id).execute()
        return None
    if now - row.last_used_at >= LAST_USED_PRECISION:
        MemberSession.update(last_used_at=now).where(MemberSession.id == row.id).execute()
        row.last_used_at = now
    return row


def prune_sessions(idle_minutes, max_hours, now=None):
    """Delete every sign-in that can no longer be used (a browser that never came back leaves its row)."""
    now = now or utcnow()
    return (
        MemberSession.delete()
        .where(
            (MemberSession.last_used_at < now - datetime.timedelta(minutes=idle_minutes))
            | (MemberSession.created_at < now - datetime.timedelta(hours=max_hours))
            | (
                MemberSession.awaiting_code
                & (MemberSession.created_at < now - datetime.timedelta(minutes=CODE_WAIT_MINUTES))
            )
        )
        .execute()
    )


def end_session(token):
    """Sign one browser out: its token works nowhere from now on."""
    if token and isinstance(token, str):
        MemberSession.delete().where(MemberSession.token_hash == _digest(token)).execute()


def end_all_sessions(professional, keep=None):
    """Sign `professional` out of every browser (but the session `keep`, when given): after a password change
    or reset, "sign out everywhere", or when the member is deactivated."""
    query = MemberSession.delete().where(MemberSession.professional == professional)
    if keep is not None:
        query = query.where(MemberSession.id != keep.id)
    return query.execute()


# (what a User-Agent contains, what people call it), first match wins: enough to tell one's own devices apart.
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent):
    """("Firefox", "Windows") from a User-Agent, either part None when unknown."""
    browser = next((name for mark, name in _BROWSERS if mark in (user_agent or "")), None)
    system = next((name for mark, name in _SYSTEMS if mark in (user_agent or "")), None)
    return browser, system


def sessions_of(professional):
    """The member's live sign-ins, most recently used first."""
    return list(
        MemberSession.select()
        .where(MemberSession.professional == professional, MemberSession.awaiting_code == False)  # noqa: E712
        .order_by(MemberSession.last_used_at.desc(), MemberSession.id.desc())
    )


# --- passwords ------------------------------------------------------------------------------------------


def _check_new_password(password):
    if not PASSWORD_MIN_LENGTH <= len(password or "") <= PASSWORD_MAX_LENGTH:
        raise WeakPassword(password)


def change_password(member_session, current_password, new_password):
    """Set a new password after checking the current one; every other sign-in of the member ends."""
    professional = member_session.professional
    if not check_password_hash(professional.password_hash, current_password or ""):
        raise WrongPassword()
    _check_new_password(new_password)
    with database.atomic():
        Professional.update(password_hash=generate_password_hash(new_password)).where(
            Professional.id == professional.id
        ).execute()
        end_all_sessions(professional, keep=member_session)


def _reset_serializer(secret_keys):
    return URLSafeTimedSerializer(list(reversed(secret_keys)), salt=RESET_SALT)


def _password_fingerprint(professional):
    """A short digest of the current password hash: a reset link carries it, so once the password changes
    (the link was used) the link is dead."""
    return _digest(professional.password_hash)[:16]


def reset_token(secret_keys, professional):
    return _reset_serializer(secret_keys).dumps([professional.id, _password_fingerprint(professional)])


def member_for_reset(secret_keys, token, max_age=RESET_MAX_AGE):
    """The member a reset link is for, or raise why it cannot be used."""
    try:
        member_id, fingerprint = _reset_serializer(secret_keys).loads(token, max_age=max_age)
    except SignatureExpired:
        raise ExpiredReset() from None
    except (BadSignature, ValueError, TypeError):
        raise InvalidReset() from None
    professional = Professional.get_or_none(Professional.id == member_id)
    if professional is None or not hmac.compare_digest(str(fingerprint), _password_fingerprint(professional)):
        raise UsedReset()
    return professional


def request_password_reset(secret_keys, email, language, reset_url):
    """Queue a reset link to the member with this address, or, when no member has it, a note saying so: the
    same work and the same answer either way, so the page tells no one whether an address has an account.
    `reset_url(token)` makes the link."""
    email = (email or "").strip().lower()
    professional = Professional.get_or_none(Professional.email == email)
    subject = _l("Resetting your Frontdesk password")
    with database.atomic():
        if professional is None:
            return outbox.queue(email, "password_reset_unknown", subject, language)
        language = professional.clinic.default_language
        token = reset_token(secret_keys, professional)
        return outbox.queue(
            professional.email,
            "password_reset",
            subject,
            language,
            professional=professional,
            clinic=professional.clinic,
            reset_link=reset_url(token),
            minutes=RESET_MAX_AGE // 60,
        )


def reset_password(secret_keys, token, new_password):
    """Set a new password from a reset link; the link dies with the old password, and every sign-in ends."""
    _check_new_password(new_password)
    with database.atomic():
        professional = member_for_reset(secret_keys, token)
        lock_rows(Professional.select().where(Professional.id == professional.id)).get()
        updated = (
            Professional.update(password_hash=generate_password_hash(new_password))
            .where(Professional.id == professional.id, Professional.password_hash == professional.password_hash)
            .execute()
        )
        if not updated:
            raise UsedReset()
        end_all_sessions(professional)
    return professional


# --- two-step sign-in -----------------------------------------------------------------------------------


def begin_two_factor_setup(member_session):
    """A fresh secret for the authenticator app, kept on this sign-in until a first code confirms it."""
    secret = pyotp.random_base32()
    MemberSession.update(setup_secret=secret).where(MemberSession.id == member_session.id).execute()
    member_session.setup_secret = secret
    return secret


def setup_uri(professional, secret):
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=professional.email, issuer_name=ISSUER)


def qr_svg(uri):
    """The QR code as inline SVG (no image request, no external service): black on white, as scanners expect."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=4, dark="#000", light="#fff")


def _matching_step(secret, code, now, last_step):
    """The time step `code` belongs to (this one or its neighbours, for clocks a little off), if it is newer
    than the last step accepted; else None."""
    code = "".join((code or "").split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if step > last_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_recovery_codes(professional):
    RecoveryCode.delete().where(RecoveryCode.professional == professional).execute()
    codes = ["-".join(secrets.token_hex(2) + secrets.token_hex(2) for _ in range(2)) for _ in range(RECOVERY_CODES)]
    RecoveryCode.insert_many(
        [{"professional": professional.id, "code_hash": _digest(code)} for code in codes]
    ).execute()
    return codes


def confirm_two_factor(member_session, code, now=None):
    """Turn two-step sign-in on once the app's first code matches the secret being set up; returns the ten
    recovery codes, which are shown once and kept only as digests."""
    secret = member_session.setup_secret
    if not secret:
        raise WrongCode()
    step = _matching_step(secret, code, now or datetime.datetime.now(datetime.timezone.utc), 0)
    if step is None:
        raise WrongCode()
    professional = member_session.professional
    with database.atomic():
        Professional.update(totp_secret=secret, totp_last_step=step).where(Professional.id == professional.id).execute()
        MemberSession.update(setup_secret=None).where(MemberSession.id == member_session.id).execute()
        # Browsers signed in with the password alone sign in again, with the second step.
        end_all_sessions(professional, keep=member_session)
        codes = _new_recovery_codes(professional)
    professional.totp_secret = secret
    return codes


def turn_off_two_factor(professional, password):
    """Turn two-step sign-in off (the password is asked again); its recovery codes go with it."""
    if not check_password_hash(professional.password_hash, password or ""):
        raise WrongPassword()
    with database.atomic():
        Professional.update(totp_secret=None, totp_last_step=0).where(Professional.id == professional.id).execute()
        RecoveryCode.delete().where(RecoveryCode.professional == professional).execute()
    professional.totp_secret = None


def recovery_codes_left(professional):
    return (
        RecoveryCode.select().where(RecoveryCode.professional == professional, RecoveryCode.used_at.is_null()).count()
    )


def _spend_recovery_code(professional, code):
    normal = "".join((code or "").lower().split()).replace("-", "")
    if len(normal) != 16:
        return False
    digest = _digest(normal[:8] + "-" + normal[8:])
    return bool(
        RecoveryCode.update(used_at=utcnow())
        .where(
            RecoveryCode.professional == professional,
            RecoveryCode.code_hash == digest,
            RecoveryCode.used_at.is_null(),
        )
        .execute()
    )


def finish_sign_in(member_session, code, user_agent="", address="", now=None):
    """The second step: an authenticator code (each accepted once) or an unused recovery code turns the
    half-finished sign-in into a full one under a new token, which is returned. A wrong code counts; after
    five the half-finished sign-in ends (TooManyCodes) and the password is asked again."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    with database.atomic():
        professional = lock_rows(Professional.select().where(Professional.id == member_session.professional_id)).get()
        secret = professional.totp_secret
        step = _matching_step(secret, code, now, professional.totp_last_step) if secret else None
        if step is not None:
            Professional.update(totp_last_step=step).where(Professional.id == professional.id).execute()
        if step is not None or (secret and _spend_recovery_code(professional, code)):
            MemberSession.delete().where(MemberSession.id == member_session.id).execute()
            return start_session(professional, user_agent, address)
        # Counted outside any exception, so the count is committed with the refusal.
        member_session.failed_codes += 1
        if member_session.failed_codes >= WRONG_CODES_ALLOWED:
            MemberSession.delete().where(MemberSession.id == member_session.id).execute()
        else:
            MemberSession.update(failed_codes=MemberSession.failed_codes + 1).where(
                MemberSession.id == member_session.id
            ).execute()
    raise TooManyCodes() if member_session.failed_codes >= WRONG_CODES_ALLOWED else WrongCode()


def require_two_factor(clinic, required):
    """The owner's choice: every member of the clinic signs in with a second step (or sets one up first)."""
    Clinic.update(require_two_factor=bool(required)).where(Clinic.id == clinic.id).execute()
    clinic.require_two_factor = bool(required)


def needs_two_factor_setup(professional):
    """Whether the member must set up two-step sign-in before reaching anything else."""
    return professional.clinic.require_two_factor and not professional.totp_secret

"""Settings: defaults, overridden by FRONTDESK_* environment variables (DESIGN.md lists them)."""

import os
import secrets

DEFAULTS = {
    # "production" makes create_app refuse settings that only suit a developer's machine (see below)
    # and send HSTS.
    "ENV": "development",
    "DATABASE_URL": None,  # None: SQLite in the instance folder
    # PostgreSQL connections each worker process keeps at most (README: "Database connections"): a cap,
    # not a reservation. A sync worker uses one; a threaded server up to one per thread.
    "DATABASE_POOL_SIZE": 10,
    # Whether those connections prepare the statements they run often (README: "PgBouncer"): off only
    # behind a PgBouncer older than 1.21, or one without max_prepared_statements.
    "DATABASE_PREPARED_STATEMENTS": True,
    # How long (ms) an SQLite writer waits for another's lock before its request gets a 503.
    "SQLITE_BUSY_TIMEOUT": 10000,
    "BASE_URL": "http://127.0.0.1:5000",
    "MAIL_BACKEND": "file",
    "MAIL_FROM": "Frontdesk <frontdesk@localhost>",
    "SMTP_HOST": "localhost",
    "SMTP_PORT": 25,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_TLS": False,
    "RATELIMIT_STORAGE": "memory://",
    # How many proxies (TLS terminator, load balancer) stand in front and add X-Forwarded-For/-Proto.
    # Rate limits count by the client's address, which only these headers carry behind a proxy.
    "TRUSTED_PROXIES": 0,
    # A request body larger than this is refused with 413 before any form is read.
    "MAX_CONTENT_LENGTH": 64 * 1024,
    # A public form must be submitted within this many seconds of being shown...
    "FORM_MAX_AGE": 6 * 3600,
    # ...and not sooner than this: people take longer, bots do not.
    "FORM_MIN_SECONDS": 3,
    "LOGIN_RATE_LIMIT": "10 per minute",
    "PUBLIC_FORM_RATE_LIMIT": "30 per minute",
    # A workstation sign-in ends after this many minutes without a page opened, and in any case this many
    # hours after the password was given: a practice's screens hold health data.
    "SESSION_IDLE_MINUTES": 120,
    "SESSION_MAX_HOURS": 12,
    # What one person and one network may hold through the public calendars, so that no one fills a
    # calendar or uses the clinic to send mail to any address: upcoming sessions one email has booked itself
    # at a clinic, and sessions booked from one network (an IPv4 address, an IPv6 /64) and through one link.
    "SELF_BOOKED_UPCOMING_PER_EMAIL": 4,
    "SELF_BOOKINGS_PER_NETWORK": "10 per day",
    "SELF_BOOKINGS_PER_LINK": "200 per day",
    # Fetching professionals' external calendars (server/calendar_fetch.py): seconds a whole fetch may take,
    # bytes a calendar may have, and whether loopback (and plain http to it) may be fetched: tests only.
    "CALENDAR_FETCH_TIMEOUT": 20,
    "CALENDAR_FETCH_MAX_BYTES": 5 * 1024 * 1024,
    "CALENDAR_FETCH_ALLOW_LOOPBACK": False,
}

_INTEGER = {
    "SQLITE_BUSY_TIMEOUT",
    "DATABASE_POOL_SIZE",
    "TRUSTED_PROXIES",
    "SMTP_PORT",
    "MAX_CONTENT_LENGTH",
    "FORM_MAX_AGE",
    "FORM_MIN_SECONDS",
    "SESSION_IDLE_MINUTES",
    "SESSION_MAX_HOURS",
    "SELF_BOOKED_UPCOMING_PER_EMAIL",
    "CALENDAR_FETCH_TIMEOUT",
    "CALENDAR_FETCH_MAX_BYTES",
}
_BOOLEAN = {"SMTP_TLS", "CALENDAR_FETCH_ALLOW_LOOPBACK", "DATABASE_PREPARED_STATEMENTS"}


def from_environment(environ=os.environ):
    """Read FRONTDESK_<NAME> for every default, plus the signing keys."""
    config = dict(DEFAULTS)
    for name in DEFAULTS:
        value = environ.get(f"FRONTDESK_{name}")
        if value is None or value == "":
            continue
        if name in _INTEGER:
            value = int(value)
        elif name in _BOOLEAN:
            value = value.lower() in {"1", "true", "yes", "on"}
        config[name] = value
    keys = [k.strip() for k in environ.get("FRONTDESK_SECRET_KEYS", "").split(",") if k.strip()]
    config["SECRET_KEYS"] = keys
    return config


ENVIRONMENTS = ("development", "production")

# A signing key shorter than this is a placeholder, not a secret.
MIN_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """Settings the server will not start with; the message names each one to fix."""


def check(config):
    """Refuse an unknown FRONTDESK_ENV, and in production every setting that would be unsafe or
    useless for real clients: links signed with a key from a file on one machine (or a placeholder),
    links and cookies on plain http, and emails that never leave the server."""
    if config["ENV"] not in ENVIRONMENTS:
        raise ConfigError(f"FRONTDESK_ENV must be one of {', '.join(ENVIRONMENTS)}, not {config['ENV']!r}")
    if config["ENV"] != "production":
        return
    missing = []
    keys = config["SECRET_KEYS"]
    if not keys:
        missing.append("FRONTDESK_SECRET_KEYS is not set (production never uses the development key file)")
    elif len(keys[0]) < MIN_KEY_LENGTH:
        missing.append(f"FRONTDESK_SECRET_KEYS: the newest key is shorter than {MIN_KEY_LENGTH} characters")
    if not config["BASE_URL"].startswith("https://"):
        missing.append(f"FRONTDESK_BASE_URL must be the public https:// address (it is {config['BASE_URL']!r})")
    if config["MAIL_BACKEND"] == "file":
        missing.append("FRONTDESK_MAIL_BACKEND must be a real backend such as smtp (it is 'file')")
    if config.get("CALENDAR_FETCH_ALLOW_LOOPBACK"):
        missing.append("FRONTDESK_CALENDAR_FETCH_ALLOW_LOOPBACK is for tests: calendars would reach this server")
    if missing:
        raise ConfigError(
            "Frontdesk will not start in production mode (FRONTDESK_ENV=production):\n"
            + "\n".join(f"  - {item}" for item in missing)
        )


def development_key(instance_path):
    """A random key kept in the instance folder, so `make run` needs no setup and links survive restarts."""
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        os.makedirs(instance_path, exist_ok=True)
        with open(path, "w") as f:
            f.write(secrets.token_urlsafe(48))
    with open(path) as f:
        return f.read().strip()


def main():
    """The same check as create_app, for scripts/serve: the message alone, without a traceback."""
    try:
        check(from_environment())
    except ConfigError as error:
        raise SystemExit(str(error)) from None

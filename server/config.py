"""Settings: defaults, overridden by FRONTDESK_* environment variables (DESIGN.md lists them)."""
import os
import secrets

DEFAULTS = {
    "DATABASE_URL": None,  # None: SQLite in the instance folder
    "BASE_URL": "http://127.0.0.1:5000",
    "MAIL_BACKEND": "file",
    "MAIL_FROM": "Frontdesk <frontdesk@localhost>",
    "SMTP_HOST": "localhost",
    "SMTP_PORT": 25,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_TLS": False,
    "RATELIMIT_STORAGE": "memory://",
    # A request body larger than this is refused with 413 before any form is read.
    "MAX_CONTENT_LENGTH": 64 * 1024,
    # A public form must be submitted within this many seconds of being shown...
    "FORM_MAX_AGE": 6 * 3600,
    # ...and not sooner than this: people take longer, bots do not.
    "FORM_MIN_SECONDS": 3,
    "LOGIN_RATE_LIMIT": "10 per minute",
    "PUBLIC_FORM_RATE_LIMIT": "30 per minute",
}

_INTEGER = {"SMTP_PORT", "MAX_CONTENT_LENGTH", "FORM_MAX_AGE", "FORM_MIN_SECONDS"}
_BOOLEAN = {"SMTP_TLS"}


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


def development_key(instance_path):
    """A random key kept in the instance folder, so `make run` needs no setup and links survive restarts."""
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        os.makedirs(instance_path, exist_ok=True)
        with open(path, "w") as f:
            f.write(secrets.token_urlsafe(48))
    with open(path) as f:
        return f.read().strip()

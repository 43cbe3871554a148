"""Rate limits (Flask-Limiter) on login and the public forms.

Kept in memory per process unless FRONTDESK_RATELIMIT_STORAGE names a shared store (redis://…),
which several app processes need so that a limit counts across them.
"""
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_app(app):
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE"]
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)

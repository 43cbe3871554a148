"""Rate limits (Flask-Limiter) on login and the public forms.

Kept in memory per process unless FRONTDESK_RATELIMIT_STORAGE names a shared store (redis://…),
which several app processes need so that a limit counts across them. While that store cannot be
reached, each process counts in its own memory instead: logins and forms stay throttled and working
rather than failing with a 500.
"""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_app(app):
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE"]
    # `limiter` is one object for every app in the process, and left unset it keeps the previous app's
    # choice: an app made after one with limits off (as in the tests) would silently have none.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)

"""The professional's workstation: first-party pages behind a login, with CSRF on every form."""
from flask import Blueprint

bp = Blueprint("workstation", __name__, url_prefix="/workstation")

from . import auth, clients, labels, sessions, settings, waitlist  # noqa: E402,F401  (routes register on bp)

"""The professional's workstation: first-party pages behind a login, with CSRF on every form."""

from flask import Blueprint
from flask_wtf.csrf import generate_csrf

bp = Blueprint("workstation", __name__, url_prefix="/workstation")

# Forms check CSRF themselves (FlaskForm); CSRFProtect, which would also give templates csrf_token(),
# is not installed, so the sign-out button on every page gets it here.
bp.add_app_template_global(generate_csrf, "csrf_token")

# Each module registers its routes, template globals or context processor on bp when imported.
from . import (  # noqa: E402,F401
    account_pages,
    audit_pages,
    auth,
    availability_pages,
    calendar_pages,
    charges_pages,
    clients_pages,
    hubs_pages,
    labels,
    languages,
    nav,
    privacy_pages,
    requests_pages,
    sessions,
    settings,
    team_pages,
)

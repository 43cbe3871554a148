"""Frontdesk: the digital front desk of a therapy or counselling practice."""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings


def create_app(test_config=None):
    """Build the application: settings, then each part plugging itself in (its `init_app`), then the
    blueprints, the error pages and the commands."""
    app = Flask(__name__, instance_path=_instance_path(), instance_relative_config=True)
    app.config.from_mapping(settings.from_environment())
    if test_config is not None:
        app.config.from_mapping(test_config)
    settings.check(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    _configure_sessions(app)

    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Only that many hops of X-Forwarded-* are believed, so a client cannot forge its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    from . import (
        assets,
        clinic_texts,
        commands,
        db,
        errors,
        formatting,
        health,
        language_choice,
        limits,
        mail,
        page_cache,
        security,
        timezones,
        urls,
        zone_names,
    )
    from .client import bp as client_bp
    from .workstation import bp as workstation_bp

    for part in (
        db,
        health,
        mail,
        language_choice,
        formatting,
        timezones,
        clinic_texts,
        zone_names,
        limits,
        security,
        assets,
        page_cache,
        urls,
    ):
        part.init_app(app)
    app.register_blueprint(client_bp)
    app.register_blueprint(workstation_bp)
    errors.init_app(app)
    commands.init_app(app)
    return app


def _instance_path():
    """FRONTDESK_INSTANCE_PATH made absolute, or None for Flask's own `instance/` beside the package."""
    instance_path = os.environ.get("FRONTDESK_INSTANCE_PATH")
    return os.path.abspath(instance_path) if instance_path else None


def _configure_sessions(app):
    """The signing keys (a development key made once per instance when none is set) and the
    workstation's session cookie: HttpOnly, SameSite=Lax, Secure behind an https base URL."""
    if not app.config["SECRET_KEYS"]:
        app.config["SECRET_KEYS"] = [settings.development_key(app.instance_path)]
    app.config["SECRET_KEY"] = app.config["SECRET_KEYS"][0]
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=app.config["BASE_URL"].startswith("https://"),
        SESSION_COOKIE_NAME="frontdesk_workstation",
        WTF_CSRF_TIME_LIMIT=None,
    )

"""Frontdesk: the digital front desk of a therapy or counselling practice."""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings


def create_app(test_config=None):
    """Build the application: settings, then the database, mail, languages, security and blueprints."""
    instance_path = os.environ.get("FRONTDESK_INSTANCE_PATH") or None
    if instance_path:
        instance_path = os.path.abspath(instance_path)
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.from_mapping(settings.from_environment())
    if test_config is not None:
        app.config.from_mapping(test_config)
    settings.check(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
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

    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Only that many hops of X-Forwarded-* are believed, so a client cannot forge its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    from . import (
        assets,
        clinic_texts,
        db,
        formatting,
        health,
        language_choice,
        limits,
        mail,
        security,
        timezones,
        urls,
        zone_names,
    )

    db.init_app(app)
    health.init_app(app)
    mail.init_app(app)
    language_choice.init_app(app)
    formatting.init_app(app)
    timezones.init_app(app)
    clinic_texts.init_app(app)
    zone_names.init_app(app)
    limits.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    urls.init_app(app)

    from .client import bp as client_bp
    from .workstation import bp as workstation_bp

    app.register_blueprint(client_bp)
    app.register_blueprint(workstation_bp)

    from . import commands, errors

    errors.init_app(app)
    commands.init_app(app)
    return app

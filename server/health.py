"""GET /health for load balancers and process monitors: 200 "ok" when the database answers, else 503.

It asks the database itself (SELECT 1) rather than only whether the process runs, so a load balancer
stops sending clients to a host that cannot reach PostgreSQL. It sets no cookie and is never cached.
"""
import peewee
from flask import Blueprint

from .db import database

bp = Blueprint("health", __name__)


def _plain(text, status):
    return text + "\n", status, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.route("/health")
def health():
    database.execute_sql("SELECT 1")
    return _plain("ok", 200)


@bp.errorhandler(peewee.OperationalError)
@bp.errorhandler(peewee.InterfaceError)
def unavailable(error):
    """On this blueprint, so it also answers when connecting fails in before_request, before the view."""
    return _plain("database unavailable", 503)


def init_app(app):
    app.register_blueprint(bp)

"""GET /health for load balancers and process monitors: 200 "ok" when the database answers, else 503.

It asks the database itself (SELECT 1) rather than only whether the process runs, so a load balancer
stops sending clients to a host that cannot reach PostgreSQL. It sets no cookie and is never cached.
"""

from flask import Blueprint

from .db import UNAVAILABLE, database

bp = Blueprint("health", __name__)


def _plain(text, status):
    return text + "\n", status, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.route("/health")
def health():
    database.execute_sql("SELECT 1")
    return _plain("ok", 200)


def unavailable(error):
    """On this blueprint, so a load balancer reads plain text rather than the translated error page."""
    return _plain("database unavailable", 503)


for _error in UNAVAILABLE:
    bp.register_error_handler(_error, unavailable)


def init_app(app):
    app.register_blueprint(bp)

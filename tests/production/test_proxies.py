"""Behind a TLS proxy every request comes from the proxy's address: rate limits must count the client's,
from X-Forwarded-For, and only when FRONTDESK_TRUSTED_PROXIES says a proxy is there to set it."""

import pytest
from frontdesk import create_app, db


def login_statuses(app, forwarded_for, count):
    client = app.test_client()
    return [
        client.post(
            "/workstation/login",
            data={"email": "a@example.com", "password": "x"},
            headers={"X-Forwarded-For": forwarded_for},
        ).status_code
        for _ in range(count)
    ]


def limited_app(tmp_path, proxies):
    app = create_app(
        {
            "DATABASE_URL": "sqlite:///" + str(tmp_path / "fd.db"),
            "SECRET_KEYS": ["test-key"],
            "WTF_CSRF_ENABLED": False,
            "LOGIN_RATE_LIMIT": "2 per minute",
            "TRUSTED_PROXIES": proxies,
        }
    )
    with app.app_context():
        db.upgrade()
    return app


@pytest.mark.parametrize("proxies", [0, 1])
def test_limits_count_by_client_only_behind_a_trusted_proxy(tmp_path, proxies):
    app = limited_app(tmp_path, proxies)
    assert login_statuses(app, "203.0.113.5", 3) == [401, 401, 429]
    # Another client behind the proxy has its own count; without a trusted proxy the header is ignored.
    assert login_statuses(app, "203.0.113.6", 1) == ([401] if proxies else [429])

"""Login brute force is throttled: with rate limits on (the shared `app` fixture turns them off), the 11th
failed sign-in within a minute from one address gets 429 with a friendly page, and while throttled even the
right password is refused. Another address is not held back. The public forms are throttled the same way.
"""

import pytest
from frontdesk import create_app, db, links
from frontdesk.models import Request

from tests.conftest import OwnContextClient, snapshot
from tests.pages import csrf_token

LOGIN = "/workstation/login"


@pytest.fixture
def throttled(app, clinic, database_url, tmp_path):
    """A fresh app on the same database with rate limits on (memory storage, counted per address)."""
    fresh = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEYS": app.config["SECRET_KEYS"],
            "BASE_URL": "http://frontdesk.test",
            "FORM_MIN_SECONDS": 0,
            "MAIL_BACKEND": "file",
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE": "memory://",
        }
    )
    fresh.test_client_class = OwnContextClient
    fresh.instance_path = str(tmp_path / "throttled-instance")
    with fresh.app_context():
        db.database.connect(reuse_if_open=True)
        yield fresh


def csrf(client):
    return csrf_token(client.get(LOGIN))


def sign_in(client, password, address="203.0.113.7"):
    return client.post(
        LOGIN,
        data={"email": "owner@harbour.example", "password": password, "csrf_token": csrf(client)},
        environ_base={"REMOTE_ADDR": address},
    )


def test_the_eleventh_failed_login_in_a_minute_is_throttled(throttled):
    client = throttled.test_client()
    for attempt in range(10):
        response = sign_in(client, f"wrong-{attempt}")
        assert response.status_code == 401, attempt
    throttled_response = sign_in(client, "wrong-11")
    assert throttled_response.status_code == 429
    page = throttled_response.get_data(as_text=True)
    assert "Too many attempts" in page and "Please wait a minute" in page and "Traceback" not in page
    assert throttled_response.mimetype == "text/html"
    assert throttled_response.headers["X-Content-Type-Options"] == "nosniff"

    right = sign_in(client, "owner-password")
    assert right.status_code == 429, "the right password is refused too while throttled"
    assert client.get("/workstation/requests").status_code == 302, "and nobody is signed in"

    elsewhere = throttled.test_client()
    assert sign_in(elsewhere, "owner-password", address="198.51.100.9").status_code == 302


def test_a_flood_of_request_forms_is_throttled_and_creates_nothing_more(throttled, clinic):
    """The public request form takes PUBLIC_FORM_RATE_LIMIT (30 a minute) per address; after that, 429 and
    no row."""
    client = throttled.test_client()
    path = f"/r/{links.request_token(throttled.config['SECRET_KEYS'], clinic)}"
    field = 'name="form_token" type="hidden" value="'
    limit = int(throttled.config["PUBLIC_FORM_RATE_LIMIT"].split()[0])
    statuses = []
    for n in range(limit + 1):
        page = client.get(path).get_data(as_text=True)
        start = page.index(field) + len(field)
        token = page[start : page.index('"', start)]
        if n == limit:
            before = snapshot()
        statuses.append(
            client.post(
                path, data={"name": f"Bot {n}", "email": f"bot{n}@example.com", "form_token": token}
            ).status_code
        )
    assert statuses[:limit] == [200] * limit
    assert statuses[-1] == 429
    assert snapshot() == before
    assert Request.select().count() == limit

"""The database briefly away: SQLite locked by another process, PostgreSQL restarted. While it is gone
requests get a clear 503 (never a 500 and a stack trace); afterwards full service; and every write that
was answered 2xx is there."""

import sqlite3

import psycopg
import pytest
from frontdesk import create_app, db
from frontdesk.clinics import create_clinic
from frontdesk.models import Request

from tests.app.conftest import Visitor, request_path
from tests.conftest import Auth, OwnContextClient
from tests.pages import form_token

UNAVAILABLE_TITLE = "Something went wrong on our side"


def assert_unavailable(response):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert UNAVAILABLE_TITLE in page and "Traceback" not in page


@pytest.fixture
def locked_app(tmp_path):
    """The app on SQLite with a short busy timeout, so a held lock turns into a 503 in a fifth of a second."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "sqlite:///" + str(tmp_path / "frontdesk.db"),
            "SECRET_KEYS": ["test-key"],
            "BASE_URL": "http://frontdesk.test",
            "FORM_MIN_SECONDS": 0,
            "RATELIMIT_ENABLED": False,
            "SQLITE_BUSY_TIMEOUT": 200,
        }
    )
    app.test_client_class = OwnContextClient
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        db.database.connect(reuse_if_open=True)
        db.upgrade()
        yield app
        db.database.close()


class ExclusiveLock:
    """Another connection holding an EXCLUSIVE transaction on the database file, as a long job would."""

    def __init__(self, path):
        self.connection = sqlite3.connect(path, isolation_level=None)

    def __enter__(self):
        self.connection.execute("BEGIN EXCLUSIVE")
        return self

    def __exit__(self, *exc):
        self.connection.execute("ROLLBACK")
        self.connection.close()


def test_sqlite_locked_gives_503_then_full_service(locked_app, tmp_path):
    clinic = create_clinic("Harbour Counselling", "owner@harbour.example", "owner-password")
    visitor = Visitor(locked_app.test_client(), request_path(clinic))
    owner = Auth(locked_app.test_client())
    assert owner.login().status_code == 302
    answered = []

    token = form_token(visitor.open())
    with ExclusiveLock(str(tmp_path / "frontdesk.db")):
        assert visitor.open().status_code == 200  # reading goes on (WAL)
        assert owner.client.get("/workstation/requests").status_code == 200
        sent = visitor.send(token=token, name="Locked Out", email="locked@example.com")
        assert_unavailable(sent)
        assert Request.select().count() == 0

    # The same form sent again goes through: the 503 left nothing behind, not even its used form token.
    retried = visitor.send(token=token, name="Locked Out", email="locked@example.com")
    assert retried.status_code == 200
    answered.append("locked@example.com")
    request = Request.get()
    with ExclusiveLock(str(tmp_path / "frontdesk.db")):
        # Opening a request writes its audit event, so its page is refused while writes are; the list is not.
        assert_unavailable(owner.client.get(f"/workstation/requests/{request.id}"))
        accept = owner.post(f"/workstation/requests/{request.id}/accept", page="/workstation/requests")
        assert_unavailable(accept)
        assert Request.get_by_id(request.id).status == "pending"

    assert (
        owner.post(f"/workstation/requests/{request.id}/accept", page=f"/workstation/requests/{request.id}").status_code
        == 302
    )
    assert Request.get_by_id(request.id).status == "accepted"
    assert visitor.send(name="After", email="after@example.com").status_code == 200
    answered.append("after@example.com")
    assert sorted(r.client.email for r in Request.select()) == sorted(answered)


def terminate_app_connections(url):
    """What a PostgreSQL restart does to the app: every server process of its database ends."""
    with psycopg.connect(url, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    return ended


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgres_restart_gives_503_or_reconnects_then_full_service(app, client, clinic):
    visitor = Visitor(app.test_client(), request_path(clinic))
    owner = Auth(app.test_client())
    assert owner.login().status_code == 302
    answered = []
    for attempt in range(3):
        token = form_token(visitor.open())
        # The connection this thread holds (as a worker's would, mid-burst) dies under it.
        assert Request.select().count() == len(answered)
        assert terminate_app_connections(app.config["DATABASE_URL"]) >= 1
        email = f"client{attempt}@example.com"
        response = visitor.send(token=token, name="Sam Rivera", email=email)
        assert response.status_code in (200, 503), response.status_code
        if response.status_code == 503:
            assert_unavailable(response)
        else:
            answered.append(email)

    assert app.test_client().get("/health").status_code == 200
    assert owner.client.get("/workstation/requests").status_code == 200
    assert visitor.send(name="After", email="after@example.com").status_code == 200
    answered.append("after@example.com")
    emails = [r.client.email for r in Request.select()]
    assert set(answered) <= set(emails)
    assert len(emails) == len(set(emails))

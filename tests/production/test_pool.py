"""Connections: none for a request that runs no query, PostgreSQL's pooled per worker process, a pooled
connection broken by a restart never handed to a request, and no transaction carried from one request
to the next."""

import time

import psycopg
import pytest
from frontdesk import config, db
from frontdesk.models import Clinic

from tests.app.conftest import Visitor, request_path
from tests.production.test_database_outage import terminate_app_connections


class ConnectCounter:
    """Counts the connections the app's database opens (or takes from its pool)."""

    def __init__(self, monkeypatch):
        self.count = 0
        real = db.database.obj.connect

        def counting(*args, **kwargs):
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(db.database.obj, "connect", counting)


def test_a_request_that_runs_no_query_opens_no_connection(app, client, monkeypatch):
    db.release()
    connects = ConnectCounter(monkeypatch)
    assert client.get("/embed.js").status_code == 200
    assert connects.count == 0
    assert client.get("/health").status_code == 200
    assert connects.count == 1


def test_pool_size_is_a_setting():
    assert config.from_environment({"FRONTDESK_DATABASE_POOL_SIZE": "2"})["DATABASE_POOL_SIZE"] == 2
    assert config.from_environment({})["DATABASE_POOL_SIZE"] == config.DEFAULTS["DATABASE_POOL_SIZE"]


def backend_pids(url):
    """The server processes connected to the test database, this query's own excepted."""
    with psycopg.connect(url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return {pid for (pid,) in rows}


def wait_until_gone(url, pids, timeout=30):
    """Wait until the ended server processes have exited (pg_terminate_backend only signals them)."""
    deadline = time.monotonic() + timeout
    while backend_pids(url) & pids:
        assert time.monotonic() < deadline, f"backends {pids} still running"
        time.sleep(0.05)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_connections_are_pooled_and_one_broken_by_a_restart_is_never_handed_out(app, clinic):
    url = app.config["DATABASE_URL"]
    visitor = Visitor(app.test_client(), request_path(clinic))
    assert visitor.open().status_code == 200
    db.release()
    pooled = backend_pids(url)
    assert pooled, "the connection went back to the pool, still open"
    assert visitor.open().status_code == 200
    assert backend_pids(url) == pooled, "the next request reused the pooled connection"

    for _ in range(3):
        db.release()
        ended = backend_pids(url)
        assert terminate_app_connections(url) >= 1
        wait_until_gone(url, ended)
        # Every pooled connection is now dead: none may reach a request, which gets full service.
        assert visitor.open().status_code == 200
        assert app.test_client().get("/health").status_code == 200
        assert visitor.send(name="Sam Rivera", email="sam@example.com").status_code == 200
        db.release()
        assert not backend_pids(url) & ended


def test_a_request_failing_mid_transaction_leaves_its_connection_rolled_back(app, client, clinic):
    def half_written():
        db.database.atomic().__enter__()  # never exited, as a failure part-way through would leave it
        Clinic.update(name="Half Written").where(Clinic.id == clinic.id).execute()
        raise RuntimeError("failed mid-transaction")

    app.add_url_rule("/test/half-written", view_func=half_written)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: a 500 page, not an exception
    assert client.get("/test/half-written").status_code == 500
    assert not db.database.in_transaction()
    assert Clinic.get_by_id(clinic.id).name == "Harbour Counselling"
    assert client.get("/health").status_code == 200
    assert Clinic.get_by_id(clinic.id).name == "Harbour Counselling"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_pooled_connection_is_checked_out_without_a_round_trip(app, clinic, monkeypatch):
    visitor = Visitor(app.test_client(), request_path(clinic))
    assert visitor.open().status_code == 200
    pooled = db.database.connection().info.backend_pid
    db.release()

    def no_round_trip(*args, **kwargs):
        raise AssertionError("the checkout check asked the server")

    monkeypatch.setattr(psycopg.Cursor, "execute", no_round_trip)
    db.database.connect()
    monkeypatch.undo()
    assert db.database.connection().info.backend_pid == pooled, "the sound pooled connection was discarded"
    assert db.database.execute_sql("SELECT 1").fetchone() == (1,)


def prepared_on_the_pooled_connection():
    """Statements the server holds prepared for the pool's connection (there is one: a test's requests
    take turns)."""
    db.release()
    db.database.connect()
    return db.database.execute_sql("SELECT count(*) FROM pg_prepared_statements").fetchone()[0]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_statement_every_request_sends_is_prepared_on_its_pooled_connection(app, clinic):
    visitor = Visitor(app.test_client(), request_path(clinic))
    assert visitor.open().status_code == 200
    assert prepared_on_the_pooled_connection() == 0, "prepared on its first run"
    for _ in range(db.PREPARE_AFTER):
        assert visitor.open().status_code == 200
    assert prepared_on_the_pooled_connection() >= 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_prepared_statements_can_be_turned_off_for_an_old_pgbouncer(app, clinic):
    assert (
        config.from_environment({"FRONTDESK_DATABASE_PREPARED_STATEMENTS": "off"})["DATABASE_PREPARED_STATEMENTS"]
        is False
    )
    db.database.close()
    app.config["DATABASE_PREPARED_STATEMENTS"] = False
    db.init_app(app)
    visitor = Visitor(app.test_client(), request_path(clinic))
    for _ in range(db.PREPARE_AFTER + 2):
        assert visitor.open().status_code == 200
    assert prepared_on_the_pooled_connection() == 0

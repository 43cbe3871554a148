"""`frontdesk send-mail --watch` outlives a database outage: it waits, then delivers what was queued."""

import os
import sqlite3
import sys

import pytest
from frontdesk import waitlist
from frontdesk.models import OutboxMessage, new_nonce

from tests.processes import wait_until


def test_the_mail_worker_waits_out_a_locked_database_and_then_delivers(app, clinic, database_url, tmp_path, processes):
    if not database_url.startswith("sqlite"):
        pytest.skip("a lock held from outside is the SQLite outage; PostgreSQL's is in test_database_outage.py")
    waitlist.submit_request(clinic, new_nonce(), "Sam Rivera", "sam@example.com", "en")
    database_file = database_url.removeprefix("sqlite:///")
    blocker = sqlite3.connect(database_file, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    environment = dict(
        os.environ,
        FRONTDESK_DATABASE_URL=database_url,
        FRONTDESK_INSTANCE_PATH=str(tmp_path),
        FRONTDESK_SECRET_KEYS="test-key-newest",
        FRONTDESK_MAIL_BACKEND="file",
        FRONTDESK_SQLITE_BUSY_TIMEOUT="100",
    )
    log_path = tmp_path / "worker.log"
    try:
        with open(log_path, "w") as log:
            worker = processes.start(
                [
                    os.path.join(os.path.dirname(sys.executable), "frontdesk"),
                    "send-mail",
                    "--watch",
                    "--interval",
                    "0.2",
                ],
                env=environment,
                stdout=log,
                stderr=log,
            )
        wait_until(
            lambda: log_path.read_text().count("database unavailable") >= 2,
            message="the worker never met the locked database twice",
        )
        assert worker.poll() is None, "the worker must not die while the database is locked"
        blocker.execute("ROLLBACK")
        wait_until(
            lambda: not OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).exists(),
            interval=0.2,
            message="the worker never delivered the queued mail",
        )
    finally:
        blocker.close()
    assert len(os.listdir(tmp_path / "mail")) == 2

"""`frontdesk send-mail --watch` outlives a database outage: it waits, then delivers what was queued."""
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from frontdesk import waitlist
from frontdesk.models import OutboxMessage, new_nonce


def test_the_mail_worker_waits_out_a_locked_database_and_then_delivers(app, clinic, database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        pytest.skip("a lock held from outside is the SQLite outage; PostgreSQL's is in test_database_outage.py")
    waitlist.submit_request(clinic, new_nonce(), "Sam Rivera", "sam@example.com", "en")
    database_file = database_url.removeprefix("sqlite:///")
    blocker = sqlite3.connect(database_file, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    environment = dict(os.environ, FRONTDESK_DATABASE_URL=database_url, FRONTDESK_INSTANCE_PATH=str(tmp_path),
                       FRONTDESK_SECRET_KEYS="test-key-newest", FRONTDESK_MAIL_BACKEND="file",
                       FRONTDESK_SQLITE_BUSY_TIMEOUT="100")
    worker = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "frontdesk"), "send-mail", "--watch",
                               "--interval", "0.2"], env=environment, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)
        assert worker.poll() is None, "the worker must not die while the database is locked"
        blocker.execute("ROLLBACK")
        deadline = time.monotonic() + 20
        while OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).count() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        blocker.close()
        worker.terminate()
        out, err = worker.communicate(timeout=10)
    assert OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).count() == 0, (out, err)
    assert "database unavailable" in err
    assert len(os.listdir(tmp_path / "mail")) == 2

"""Mail exactly once (issue 12): two workers and a slow relay deliver every message once, though a batch takes
longer than a lease; a database lock between the relay's accept and the `sent_at` write repeats nothing; and a
crash at that moment repeats that one message only."""

import asyncio
import collections
import threading
import time

import peewee
import pytest
from frontdesk import db, waitlist
from frontdesk.mail import delivery
from frontdesk.models import OutboxMessage, new_nonce, utcnow

from tests.conftest import Mailbox


class SlowMailbox(Mailbox):
    """A relay that takes `delay` seconds over each message, and can run a hook once it has accepted one."""

    def __init__(self, delay):
        super().__init__()
        self.delay = delay
        self.after_accept = None

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        answer = await super().handle_DATA(server, session, envelope)
        if self.after_accept is not None:
            self.after_accept(len(self.messages))
        return answer


@pytest.fixture
def slow_relay(app):
    from aiosmtpd.controller import Controller

    from tests.conftest import free_port

    mailbox = SlowMailbox(delay=0.05)
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    try:
        yield mailbox
    finally:
        controller.stop()


def queue_messages(clinic, requests):
    """Each request queues two emails: "we received it" to the person, "new request" to the owner."""
    for n in range(requests):
        waitlist.submit_request(clinic, new_nonce(), f"Visitor {n}", f"visitor{n}@example.com", "en")
    return {m.message_id for m in OutboxMessage.select()}


def received(mailbox):
    return collections.Counter(m["Message-ID"] for m in mailbox.messages)


def test_two_workers_and_a_slow_relay_deliver_every_message_once(app, clinic, slow_relay, monkeypatch):
    """Each batch takes longer than a lease (a 0.3 s lease, 50 ms a message): a worker must not send what the
    other has since claimed, nor claim what the other is sending."""
    queued = queue_messages(clinic, 20)
    monkeypatch.setattr(delivery, "LEASE", delivery.datetime.timedelta(seconds=0.3))
    errors = []

    def worker():
        with app.app_context():
            db.database.connect(reuse_if_open=True)
            try:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    delivery.deliver_due(app, limit=20)
                    if not OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).exists():
                        return
                    time.sleep(0.05)
            except Exception as error:  # noqa: BLE001  (reported to the test below)
                errors.append(error)
            finally:
                db.database.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not errors and not any(t.is_alive() for t in threads)
    counts = received(slow_relay)
    assert set(counts) == queued, "a message was lost"
    assert [k for k, v in counts.items() if v > 1] == [], "a message was sent twice"


def fail_recording_after(mailbox, nth, error, times):
    """After the relay accepts its `nth` message, the next `times` database writes of the worker raise `error`:
    the database is locked, or the worker dies, between the accept and the `sent_at` write."""
    state = {"left": 0}
    real = delivery.utcnow

    def after_accept(count):
        if count == nth:
            state["left"] = times

    def utcnow_or_fail():
        if state["left"] > 0:
            state["left"] -= 1
            raise error
        return real()

    mailbox.after_accept = after_accept
    return utcnow_or_fail


def test_a_database_lock_between_accept_and_record_sends_nothing_twice(app, clinic, slow_relay, monkeypatch):
    queued = queue_messages(clinic, 5)
    monkeypatch.setattr(delivery, "RECORD_PAUSE", 0.05)
    locked = peewee.OperationalError("database is locked")
    monkeypatch.setattr(delivery, "utcnow", fail_recording_after(slow_relay, 3, locked, times=3))
    assert delivery.deliver_due(app) == (10, 0)
    OutboxMessage.update(next_attempt_at=utcnow()).execute()  # any lease over: nothing is left to send
    assert delivery.deliver_due(app) == (0, 0)
    assert received(slow_relay) == collections.Counter({message_id: 1 for message_id in queued})


class Killed(BaseException):
    """The worker dying (SIGKILL, a power cut) at one exact point."""


def test_a_crash_between_accept_and_record_repeats_that_one_message_only(app, clinic, slow_relay, monkeypatch):
    queued = queue_messages(clinic, 5)
    monkeypatch.setattr(delivery, "utcnow", fail_recording_after(slow_relay, 3, Killed(), times=1))
    with pytest.raises(Killed):
        delivery.deliver_due(app)
    assert len(slow_relay.messages) == 3
    unsent = OutboxMessage.select().where(OutboxMessage.sent_at.is_null())
    assert unsent.count() == 8
    waiting = [m for m in unsent if m.next_attempt_at > utcnow()]
    assert len(waiting) == 1, "only the message in flight keeps its lease; the rest of the batch was handed back"

    assert delivery.deliver_due(app) == (7, 0)
    OutboxMessage.update(next_attempt_at=utcnow()).where(OutboxMessage.sent_at.is_null()).execute()  # lease over
    assert delivery.deliver_due(app) == (1, 0)
    counts = received(slow_relay)
    assert set(counts) == queued
    assert sorted(counts.values()) == [1] * 9 + [2], "only the message in flight at the crash came twice"


def test_a_batch_fits_its_lease_even_at_the_smtp_timeout():
    assert delivery.BATCH * delivery.SMTP_TIMEOUT < delivery.LEASE.total_seconds()

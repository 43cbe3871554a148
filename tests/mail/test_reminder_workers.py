"""Reminders with several mail workers and a restart: `frontdesk send-mail --watch` processes on one
database and a real SMTP server. Each reminder arrives exactly once; a cancelled session's never does."""

import collections
import datetime as dt
import os
import subprocess
import sys

from frontdesk import appointments
from frontdesk.models import OutboxMessage, SentReminder, utcnow
from frontdesk.states import Actor

from tests.app.booking_fixtures import make_client, make_session, owner_of
from tests.processes import wait_until

BIN = os.path.dirname(sys.executable)
REMINDER = "Reminder: your session with Harbour Counselling"


def worker_env(app, database_url, instance):
    """Only FRONTDESK_* settings of the test's own, none inherited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_DATABASE_URL=database_url,
        FRONTDESK_INSTANCE_PATH=str(instance),
        FRONTDESK_SECRET_KEYS=",".join(app.config["SECRET_KEYS"]),
        FRONTDESK_BASE_URL=app.config["BASE_URL"],
        FRONTDESK_MAIL_BACKEND="smtp",
        FRONTDESK_SMTP_HOST="127.0.0.1",
        FRONTDESK_SMTP_PORT=str(app.config["SMTP_PORT"]),
    )
    return env


def due_sessions(clinic, first, count):
    """`count` sessions of as many clients, booked a week ago, starting within the day: each due its reminder."""
    return [
        make_session(
            clinic,
            20 + n * 0.1,
            channel="direct",
            client=make_client(clinic, f"client{n}@example.com", f"Client {n}"),
            created_at=utcnow() - dt.timedelta(days=7),
        )
        for n in range(first, first + count)
    ]


def reminders_received(mailbox):
    return collections.Counter(m["To"] for m in mailbox.messages if m["Subject"] == REMINDER)


def test_two_workers_and_a_restart_send_each_reminder_once(app, clinic, database_url, tmp_path, processes, smtp_server):
    due_sessions(clinic, 0, 8)
    cancelled = due_sessions(clinic, 100, 1)[0]
    appointments.cancel(cancelled, Actor.PROFESSIONAL, owner_of(clinic))
    OutboxMessage.update(sent_at=utcnow()).execute()  # the cancellation emails are not what is counted here

    env = worker_env(app, database_url, tmp_path / "worker")
    watch = [os.path.join(BIN, "frontdesk"), "send-mail", "--watch", "--interval", "0.2"]
    quiet = dict(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first, second = processes.start(watch, **quiet), processes.start(watch, **quiet)
    wait_until(lambda: len(reminders_received(smtp_server)) == 8, message="the first reminders did not all arrive")

    first.kill()  # a worker dies; another starts in its place
    first.wait(30)
    third = processes.start(watch, **quiet)
    due_sessions(clinic, 8, 4)
    wait_until(lambda: len(reminders_received(smtp_server)) == 12, message="the later reminders did not all arrive")
    wait_until(
        lambda: not OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).exists(),
        message="the outbox was not emptied",
    )

    # One more whole pass of its own after everything went: it finds nothing to queue or send.
    once = subprocess.run(
        [os.path.join(BIN, "frontdesk"), "send-mail"], env=env, capture_output=True, text=True, timeout=120
    )
    assert once.stdout.strip().endswith("sent 0, failed 0"), once.stdout + once.stderr
    for worker in (second, third):
        worker.terminate()
        worker.wait(30)

    received = reminders_received(smtp_server)
    assert set(received.values()) == {1}, f"a reminder arrived twice: {received}"
    assert len(received) == 12 and "client100@example.com" not in received
    assert SentReminder.select().count() == 12

"""Delivery of the outbox (`frontdesk send-mail`): what is due is claimed, sent, and recorded; a failure
waits its backoff. Claiming takes rows with `FOR UPDATE SKIP LOCKED` on PostgreSQL (an IMMEDIATE
transaction on SQLite) and leases them, so several workers never send one message twice and a crashed
worker's lease runs out."""

import datetime

from ..db import database, is_postgres
from ..models import OutboxMessage, utcnow
from .backends import SEND_ERRORS, sender
from .mime import build_message

LEASE = datetime.timedelta(minutes=5)
MAX_BACKOFF = datetime.timedelta(hours=1)


def _claim(limit):
    """Lease up to `limit` due messages to this worker."""
    now = utcnow()
    with database.atomic():
        query = (
            OutboxMessage.select()
            .where(OutboxMessage.sent_at.is_null(), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        if is_postgres():
            query = query.for_update(skip_locked=True)
        rows = list(query)
        if rows:
            (
                OutboxMessage.update(next_attempt_at=now + LEASE, attempts=OutboxMessage.attempts + 1)
                .where(OutboxMessage.id.in_([r.id for r in rows]))
                .execute()
            )
    return rows


def backoff(attempts):
    """Wait 30 s after the first failure, doubling each time, at most an hour."""
    return min(datetime.timedelta(seconds=30) * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver_due(app, limit=100):
    """Send every due message once; return (sent, failed)."""
    config = dict(app.config, INSTANCE_PATH=app.instance_path)
    sent = failed = 0
    with sender(config) as send:
        while True:
            rows = _claim(limit)
            if not rows:
                return sent, failed
            sent_now, failed_now = _deliver(config, send, rows)
            sent += sent_now
            failed += failed_now


def _deliver(config, send, rows):
    sent = failed = 0
    for row in rows:
        try:
            send(config, build_message(row, config["MAIL_FROM"]))
        except SEND_ERRORS as error:
            failed += 1
            (
                OutboxMessage.update(
                    next_attempt_at=utcnow() + backoff(row.attempts + 1),
                    last_error=f"{type(error).__name__}: {error}"[:1000],
                )
                .where(OutboxMessage.id == row.id)
                .execute()
            )
        else:
            sent += 1
            OutboxMessage.update(sent_at=utcnow(), last_error="").where(OutboxMessage.id == row.id).execute()
    return sent, failed

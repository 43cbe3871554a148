"""Delivery of the outbox (`frontdesk send-mail`): what is due is claimed, sent, and recorded; a failure
waits its backoff.

Exactly once is the aim, with several workers and a slow relay:
- a worker claims a small batch (`FOR UPDATE SKIP LOCKED` on PostgreSQL, an IMMEDIATE transaction on
  SQLite) under a claim of its own, leased for LEASE; a batch is small enough to be sent within its lease
  even if every message took the SMTP timeout;
- before each send the worker renews its lease on that one message, and only if the message is still its
  own: once a lease has run out and another worker claimed the message, the first one skips it;
- after the relay accepts a message its `sent_at` is written at once, and retried while the database is
  briefly locked; should the worker die in between, only that one message is sent again, after its lease.
Dashboard links asked for at `/c/` are looked up here too (`clients.resolve_link_requests`), so that page
does the same work whether or not the address is known.
"""

import datetime
import pickle
import secrets
import time
from contextlib import suppress

from itsdangerous import BadSignature
from jinja2 import TemplateError

from .. import clients
from ..db import UNAVAILABLE, database, is_postgres
from ..models import OutboxMessage, utcnow
from . import outbox
from .backends import SEND_ERRORS, SMTP_TIMEOUT, sender
from .mime import build_message

LEASE = datetime.timedelta(minutes=5)
# Messages per claim: even if each took the whole SMTP timeout, the batch is sent within its lease.
BATCH = max(1, int(LEASE.total_seconds() // SMTP_TIMEOUT) - 1)
MAX_BACKOFF = datetime.timedelta(hours=1)
# A draft that cannot be rendered (not sealed by this app, or made by a version of it whose rows or templates
# no longer fit) fails like a refused send: kept, with why, and tried again after its backoff.
UNRENDERABLE = (BadSignature, TemplateError, pickle.UnpicklingError, AttributeError, ImportError)
# How long the `sent_at` of an accepted message is retried while the database is locked or away.
RECORD_TRIES = 10
RECORD_PAUSE = 0.5


def _claim(limit, claim):
    """Lease up to `limit` due messages to this worker's `claim`."""
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
                OutboxMessage.update(next_attempt_at=now + LEASE, attempts=OutboxMessage.attempts + 1, claimed_by=claim)
                .where(OutboxMessage.id.in_([r.id for r in rows]))
                .execute()
            )
    return rows


def _renew(row, claim):
    """Extend this worker's lease on one message just before sending it; False when the message is no longer
    this worker's (its lease ran out and another worker claimed it) or was sent meanwhile."""
    return bool(
        OutboxMessage.update(next_attempt_at=utcnow() + LEASE)
        .where(OutboxMessage.id == row.id, OutboxMessage.claimed_by == claim, OutboxMessage.sent_at.is_null())
        .execute()
    )


def _record_sent(row):
    """Write that the relay accepted the message, with what was sent in place of its draft, waiting out a
    briefly locked database: giving up here is what would send it again."""
    for attempt in range(RECORD_TRIES):
        try:
            OutboxMessage.update(
                sent_at=utcnow(),
                last_error="",
                claimed_by=None,
                text_body=row.text_body,
                html_body=row.html_body,
                ics=row.ics,
                draft=None,
            ).where(OutboxMessage.id == row.id).execute()
            return
        except UNAVAILABLE:
            if attempt == RECORD_TRIES - 1:
                raise
            time.sleep(RECORD_PAUSE)


def _release(rows, claim):
    """Hand back claimed messages this worker will not send now, so that another worker need not wait for the
    lease (best effort: after an outage the lease runs out by itself)."""
    with suppress(*UNAVAILABLE):
        OutboxMessage.update(next_attempt_at=utcnow(), claimed_by=None).where(
            OutboxMessage.id.in_([r.id for r in rows]),
            OutboxMessage.claimed_by == claim,
            OutboxMessage.sent_at.is_null(),
        ).execute()


def backoff(attempts):
    """Wait 30 s after the first failure, doubling each time, at most an hour."""
    return min(datetime.timedelta(seconds=30) * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver_due(app, limit=BATCH):
    """Send every due message once; return (sent, failed)."""
    config = dict(app.config, INSTANCE_PATH=app.instance_path)
    clients.resolve_link_requests()
    sent = failed = 0
    claim = secrets.token_hex(8)
    with sender(config) as send:
        while True:
            rows = _claim(limit, claim)
            if not rows:
                return sent, failed
            sent_now, failed_now = _deliver(config, send, rows, claim)
            sent += sent_now
            failed += failed_now


def _deliver(config, send, rows, claim):
    sent = failed = 0
    for index, row in enumerate(rows):
        try:
            if not _renew(row, claim):
                continue
            try:
                send(config, build_message(outbox.rendered(row), config["MAIL_FROM"]))
            except (*SEND_ERRORS, *UNRENDERABLE) as error:
                failed += 1
                (
                    OutboxMessage.update(
                        next_attempt_at=utcnow() + backoff(row.attempts + 1),
                        last_error=f"{type(error).__name__}: {error}"[:1000],
                        claimed_by=None,
                    )
                    .where(OutboxMessage.id == row.id)
                    .execute()
                )
            else:
                sent += 1
                _record_sent(row)
        except BaseException:
            _release(rows[index + 1 :], claim)
            raise
    return sent, failed

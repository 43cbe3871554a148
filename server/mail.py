"""Email: an outbox written in the same transaction as the change, and its delivery.

`queue()` renders a message in the recipient's language and stores it; `deliver_due()` (the
`frontdesk send-mail` command) sends what is due and retries failures with backoff. Claiming takes
rows with `FOR UPDATE SKIP LOCKED` on PostgreSQL (an IMMEDIATE transaction on SQLite) and leases
them, so several workers never send one message twice and a crashed worker's lease runs out.
"""
import contextlib
import datetime
import os
import smtplib
import sys
from email import policy
from email.errors import MessageError
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import icalendar
from flask import current_app, render_template
from flask_babel import force_locale

from .db import database, is_postgres
from .models import OutboxMessage, utcnow

LEASE = datetime.timedelta(minutes=5)
MAX_BACKOFF = datetime.timedelta(hours=1)


class HeaderInjection(ValueError):
    """A name or address that would add a header line to a message."""


def reads_as_one_line(value, header="subject"):
    """Whether `value` stays one line in a header as the email package reads it: it splits lines on more
    than CR and LF, and decodes encoded-words, so "=?utf-8?q?=0D=0A?=" in a name would be a line break."""
    try:
        read = str(policy.default.header_factory(header, value))
    except (ValueError, MessageError):
        return False
    return not any("\n" in text or "\r" in text or len(text.splitlines()) > 1 for text in (value, read))


def _single_line(value, header):
    # Refused here, so a row that would add a header line (or could not be built at all) is never stored.
    if not reads_as_one_line(value, header):
        raise HeaderInjection(value)
    return value


def queue(to, template, subject, language, ics=None, **context):
    """Store one email to `to`, rendered from mail/<template>.txt and .html in `language`."""
    with force_locale(language):
        # A plain str: a lazy subject would pass itself off as safe HTML (__html__), unescaped, names and all.
        subject = str(subject)
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", subject=subject, **context)
    domain = current_app.config["BASE_URL"].split("//", 1)[-1].split("/")[0].split(":")[0] or "localhost"
    return OutboxMessage.create(
        message_id=make_msgid(domain=domain),
        to_address=_single_line(to, "to"),
        subject=_single_line(subject, "subject"),
        text_body=text,
        html_body=html,
        ics=ics.to_ical().decode() if ics is not None else None,
        ics_method=str(ics["METHOD"]) if ics is not None else None,
    )


def calendar_event(method, uid, sequence, start, end, summary, organizer_email, attendee_email, description=""):
    """An iCalendar object with one event: METHOD REQUEST to add or move it, CANCEL to remove it."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Frontdesk//Sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", utcnow().replace(tzinfo=datetime.timezone.utc))
    event.add("dtstart", start.replace(tzinfo=datetime.timezone.utc))
    event.add("dtend", end.replace(tzinfo=datetime.timezone.utc))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("organizer", f"mailto:{organizer_email}")
    event.add("attendee", f"mailto:{attendee_email}")
    calendar.add_component(event)
    return calendar


def build_message(row, mail_from):
    """The MIME message for an outbox row: text, HTML, and the calendar attachment if any."""
    message = EmailMessage()
    message["Message-ID"] = row.message_id
    message["From"] = mail_from
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = row.created_at.replace(tzinfo=datetime.timezone.utc)
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    if row.ics:
        message.add_attachment(
            row.ics.encode(), maintype="text", subtype="calendar",
            filename="invite.ics" if row.ics_method == "REQUEST" else "cancel.ics",
            params={"method": row.ics_method},
        )
    return message


def _send_file(config, message):
    folder = os.path.join(config["INSTANCE_PATH"], "mail")
    os.makedirs(folder, exist_ok=True)
    name = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
    with open(os.path.join(folder, f"{name}.eml"), "wb") as f:
        f.write(bytes(message))


def _send_console(config, message):
    sys.stdout.write(message.as_string() + "\n")


class _SmtpSession:
    """One SMTP connection for a whole pass of the worker, opened when the first message goes. Any
    failure drops it, so the next message starts on a fresh connection (or fails and waits its backoff
    while the server is down)."""

    def __init__(self, config):
        self.config = config
        self.smtp = None

    def __call__(self, config, message):
        try:
            if self.smtp is None:
                self.smtp = self._connect()
            self.smtp.send_message(message)
        except (OSError, smtplib.SMTPException):
            self.close()
            raise

    def _connect(self):
        config = self.config
        smtp = smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=30)
        try:
            if config["SMTP_TLS"]:
                smtp.starttls()
            if config["SMTP_USER"]:
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self):
        if self.smtp is not None:
            smtp, self.smtp = self.smtp, None
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


@contextlib.contextmanager
def _sender(config):
    """The backend's send(config, message) for one pass, and whatever it holds open closed after."""
    if config["MAIL_BACKEND"] != "smtp":
        yield BACKENDS[config["MAIL_BACKEND"]]
        return
    session = _SmtpSession(config)
    try:
        yield session
    finally:
        session.close()


BACKENDS = {"file": _send_file, "console": _send_console, "smtp": _SmtpSession}


def _claim(limit):
    """Lease up to `limit` due messages to this worker."""
    now = utcnow()
    with database.atomic():
        query = (OutboxMessage.select()
                 .where(OutboxMessage.sent_at.is_null(), OutboxMessage.next_attempt_at <= now)
                 .order_by(OutboxMessage.id).limit(limit))
        if is_postgres():
            query = query.for_update(skip_locked=True)
        rows = list(query)
        if rows:
            (OutboxMessage.update(next_attempt_at=now + LEASE, attempts=OutboxMessage.attempts + 1)
             .where(OutboxMessage.id.in_([r.id for r in rows])).execute())
    return rows


def backoff(attempts):
    """Wait 30 s after the first failure, doubling each time, at most an hour."""
    return min(datetime.timedelta(seconds=30) * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver_due(app, limit=100):
    """Send every due message once; return (sent, failed)."""
    config = dict(app.config, INSTANCE_PATH=app.instance_path)
    sent = failed = 0
    with _sender(config) as send:
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
        except (OSError, smtplib.SMTPException) as error:
            failed += 1
            (OutboxMessage.update(next_attempt_at=utcnow() + backoff(row.attempts + 1),
                                  last_error=f"{type(error).__name__}: {error}"[:1000])
             .where(OutboxMessage.id == row.id).execute())
        else:
            sent += 1
            OutboxMessage.update(sent_at=utcnow(), last_error="").where(OutboxMessage.id == row.id).execute()
    return sent, failed


def init_app(app):
    if app.config["MAIL_BACKEND"] not in BACKENDS:
        raise RuntimeError(
            f"FRONTDESK_MAIL_BACKEND must be one of {', '.join(BACKENDS)}, not {app.config['MAIL_BACKEND']!r}")

"""The outbox delivered to a real SMTP server: what arrives, once, with what attachment."""

import datetime as dt

import icalendar
from frontdesk import appointments, booking, waitlist
from frontdesk.mail import delivery
from frontdesk.models import Client, OutboxMessage, Professional, new_nonce, utcnow

from tests.conftest import free_port, outbox


def book_tomorrow(clinic):
    owner = Professional.get(Professional.clinic == clinic)
    request = waitlist.submit_request(clinic, new_nonce(), "Sam Rivera", "sam@example.com", "en")
    waitlist.accept(request, owner)
    day = booking.utc_to_local(utcnow(), clinic.timezone).date() + dt.timedelta(days=1)
    start = booking.local_to_utc(day, dt.time(10, 0), clinic.timezone)
    service = clinic.services.get()
    return appointments.book(
        clinic,
        owner,
        Client.get(Client.email == "sam@example.com"),
        service,
        start,
        service.duration_minutes,
        booked_by=owner,
    )


def test_a_request_and_its_booking_reach_both_inboxes_once(app, clinic, smtp_server):
    appointment = book_tomorrow(clinic)
    sent, failed = delivery.deliver_due(app)
    assert (sent, failed) == (5, 0)
    assert delivery.deliver_due(app) == (0, 0), "a second pass sends nothing again"

    by_subject = {m["Subject"]: m for m in smtp_server.messages}
    assert len(smtp_server.messages) == 5 == len({m["Message-ID"] for m in smtp_server.messages})
    assert {m["To"] for m in smtp_server.messages} == {"sam@example.com", "owner@harbour.example"}
    received = by_subject["We received your request to Harbour Counselling"]
    assert "on their waitlist" in received.get_body(("plain",)).get_content()
    assert received.get_body(("html",)).get_content().lstrip().startswith("<!doctype html>")

    confirmation = by_subject["Your session with Harbour Counselling is booked"]
    attachment = next(part for part in confirmation.iter_attachments() if part.get_content_type() == "text/calendar")
    assert attachment.get_param("method") == "REQUEST"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == appointment.uid
    assert event.decoded("DTSTART").replace(tzinfo=None) == appointment.starts_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(minutes=50)


def test_smtp_down_then_up_delivers_everything_once(app, clinic):
    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    waitlist.submit_request(clinic, new_nonce(), "Sam Rivera", "sam@example.com", "en")
    assert delivery.deliver_due(app) == (0, 2)
    failed = list(OutboxMessage.select())
    assert all(m.sent_at is None and m.attempts == 1 and "Connection" in m.last_error for m in failed)
    assert all(m.next_attempt_at > utcnow() for m in failed), "a failed message waits before the next try"
    assert delivery.deliver_due(app) == (0, 0), "nothing is retried before its backoff"

    from aiosmtpd.controller import Controller

    from tests.conftest import Mailbox

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=app.config["SMTP_PORT"])
    controller.start()
    try:
        OutboxMessage.update(next_attempt_at=utcnow()).execute()  # the backoff has passed
        assert delivery.deliver_due(app) == (2, 0)
        assert delivery.deliver_due(app) == (0, 0)
    finally:
        controller.stop()
    assert len(mailbox.messages) == 2
    assert all(m.sent_at is not None for m in OutboxMessage.select())


class CountingMailbox:
    """An SMTP server's handler that counts connections and refuses one address with a permanent error."""

    def __init__(self, refuse):
        self.refuse, self.connections, self.received = refuse, 0, []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refuse:
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.extend(envelope.rcpt_tos)
        return "250 OK"


def test_one_pass_sends_over_one_connection_and_a_refused_address_fails_alone(app, clinic):
    from aiosmtpd.controller import Controller

    for n in range(3):
        waitlist.submit_request(clinic, new_nonce(), f"Client {n}", f"client{n}@example.com", "en")
    mailbox = CountingMailbox(refuse="client1@example.com")
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    try:
        assert delivery.deliver_due(app) == (5, 1)
    finally:
        controller.stop()
    assert sorted(mailbox.received) == ["client0@example.com", "client2@example.com"] + ["owner@harbour.example"] * 3
    # The refusal dropped the connection, so the messages after it went over a second one.
    assert mailbox.connections == 2
    refused = OutboxMessage.get(OutboxMessage.to_address == "client1@example.com")
    assert refused.sent_at is None and "No such mailbox" in refused.last_error


def test_backoff_doubles_and_stops_at_an_hour():
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert delivery.backoff(20) == dt.timedelta(hours=1)


def test_file_backend_writes_eml_files(app, clinic, tmp_path):
    waitlist.submit_request(clinic, new_nonce(), "Sam Rivera", "sam@example.com", "en")
    assert delivery.deliver_due(app) == (2, 0)
    import os

    files = os.listdir(os.path.join(app.instance_path, "mail"))
    assert len(files) == 2 and all(name.endswith(".eml") for name in files)


def test_send_mail_command_reports_and_exits_nonzero_on_failure(app, clinic, runner):
    waitlist.submit_request(clinic, new_nonce(), "Sam Rivera", "sam@example.com", "en")
    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 1 and "failed 2" in result.output


def test_an_email_tells_what_was_true_when_it_was_queued_and_keeps_what_was_sent(app, clinic, smtp_server):
    """Rendered at send time from its draft, an email still tells the change as it committed (a rename after
    it, or a session moved since, does not reach it); once sent, what went out is what the row keeps."""
    appointment = book_tomorrow(clinic)
    Client.update(name="Samantha Rivera-Jones").where(Client.id == appointment.client_id).execute()
    clinic.__class__.update(name="Renamed Practice").where(clinic.__class__.id == clinic.id).execute()
    assert delivery.deliver_due(app) == (5, 0)

    confirmation = next(
        m for m in smtp_server.messages if m["Subject"] == "Your session with Harbour Counselling is booked"
    )
    text = confirmation.get_body(("plain",)).get_content()
    assert "Hello Sam Rivera," in text and "Harbour Counselling" in text
    assert "Samantha" not in text and "Renamed Practice" not in text
    attachment = next(part for part in confirmation.iter_attachments() if part.get_content_type() == "text/calendar")
    assert icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]["SEQUENCE"] == 0
    kept = OutboxMessage.get(OutboxMessage.message_id == confirmation["Message-ID"])
    assert kept.draft is None and kept.text_body.strip() == text.replace("\r\n", "\n").strip()
    assert "BEGIN:VCALENDAR" in kept.ics


def test_a_draft_the_app_did_not_seal_is_never_read(app, clinic, smtp_server, tmp_path):
    """A row written behind the app's back (a stolen database password, an injection elsewhere) cannot make the
    mail worker unpickle what it likes: the draft's signature is checked first, and the message fails, kept."""
    import os
    import pickle

    from frontdesk import links

    waitlist.submit_request(clinic, new_nonce(), "Sam Rivera", "sam@example.com", "en")
    touched = tmp_path / "unpickled"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {touched}",))

    forged = links.seal(["not-the-apps-key"], "frontdesk.outbox-draft", Payload(), pickle)
    victim = OutboxMessage.select().order_by(OutboxMessage.id).first()
    OutboxMessage.update(draft=forged).where(OutboxMessage.id == victim.id).execute()

    assert delivery.deliver_due(app) == (1, 1)
    assert not touched.exists()
    refused = OutboxMessage.get_by_id(victim.id)
    assert refused.sent_at is None and refused.last_error.startswith("BadSignature")
    assert [m["To"] for m in smtp_server.messages] == ["owner@harbour.example"]


def test_a_draft_keeps_no_secret_and_no_detail_no_email_shows(app, clinic):
    """Until it is sent, a draft holds the rows its email is rendered from: never a member's password hash or
    two-factor secret, nor a client's phone, birth date, address, emergency contact or national id."""
    from frontdesk import links

    class Raw:
        dumps = loads = staticmethod(lambda value: value)

    Professional.update(totp_secret="JBSWY3DPEHPK3PXP").where(Professional.clinic == clinic).execute()
    waitlist.submit_request(clinic, new_nonce(), "Sam Rivera", "sam@example.com", "en")
    Client.update(national_id="NAT-557", phone="+3545551234", address="4 Quiet Lane").where(
        Client.email == "sam@example.com"
    ).execute()
    owner = Professional.get(Professional.clinic == clinic)
    book_tomorrow(clinic)
    drafts = [m.draft for m in OutboxMessage.select() if m.draft]
    assert len(drafts) == 7  # two requests (two emails each), the acceptance, the booking (two)
    for draft in drafts:
        kept = links.unseal(app.config["SECRET_KEYS"], "frontdesk.outbox-draft", draft, Raw)
        for secret in (owner.password_hash, "JBSWY3DPEHPK3PXP", "NAT-557", "5551234", "Quiet Lane"):
            assert secret.encode() not in kept
    assert "Hello Sam Rivera," in outbox("sam@example.com")[-1].text_body

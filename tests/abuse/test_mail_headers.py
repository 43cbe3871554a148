"""Header injection through names and email addresses into mail: a CR or LF (or another line break) in a
name or an address either makes the form refuse it with a message, or reaches the outbox as a row whose
built message, parsed back with email.message_from_bytes, has no header it should not have.
"""

import email
from email import policy

import pytest
from frontdesk import links
from frontdesk.mail.delivery import deliver_due
from frontdesk.mail.headers import HeaderInjection
from frontdesk.mail.mime import build_message
from frontdesk.mail.outbox import queue
from frontdesk.models import Clinic, OutboxMessage

from tests.app.booking_fixtures import make_client, owner_of, service_of, slots
from tests.app.conftest import Visitor, request_path
from tests.conftest import outbox, snapshot
from tests.pages import form_token

INJECTED = "Bcc: victim@example.com"
BREAKS = ["\r\n", "\n", "\r", "\r\n ", "\n\t", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "%0d%0a"]
# Encoded-words (RFC 2047) that the email package decodes into a CR LF when it reads the header.
ENCODED = ["=?utf-8?q?=0D=0ABcc:_victim@example.com?=", "=?utf-8?b?DQpCY2M6IHZpY3RpbUBleGFtcGxlLmNvbQ==?="]
BAD_NAMES = [f"Sam{b}{INJECTED}" for b in BREAKS] + [f"Sam {e}" for e in ENCODED] + [f"Sam{e}" for e in ENCODED]
BAD_EMAILS = (
    [f"sam@example.com{b}{INJECTED}" for b in BREAKS]
    + [f"sam{b}@example.com" for b in BREAKS[:3]]
    + ["=?utf-8?q?=0D=0A?=@example.com", "sam=?utf-8?q?=0A?=@example.com"]
)
# The headers an outbox message may have, and nothing else (Reply-To: a client's answer goes to the clinic).
EXPECTED_HEADERS = {"message-id", "from", "to", "subject", "date", "mime-version", "content-type", "reply-to"}


def parsed(row, app):
    return email.message_from_bytes(bytes(build_message(row, app.config["MAIL_FROM"])), policy=policy.default)


def assert_no_injected_header(app, rows):
    for row in rows:
        message = parsed(row, app)
        names = {name.lower() for name in message.keys()}
        assert names <= EXPECTED_HEADERS, (row.subject, names - EXPECTED_HEADERS)
        assert "bcc" not in names and len(message.get_all("To")) == 1
        assert len(message.get_all("Reply-To") or []) <= 1
        assert message["To"].addresses[0].addr_spec == row.to_address
        assert "\n" not in str(message["Subject"]) and "\r" not in str(message["Subject"])


def refused_or_clean(app, response, before_rows, before):
    """The form refused the value with a message and changed nothing, or its emails carry no injection."""
    assert response.status_code < 500
    if response.status_code != 200:
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Please use a single line" in page or "valid email address" in page, page[:1500]
        assert snapshot() == before
        return "refused"
    rows = list(OutboxMessage.select().where(OutboxMessage.id.not_in(before_rows)))
    assert rows, "an accepted form queued its emails"
    assert_no_injected_header(app, rows)
    return "accepted"


def test_the_request_form_refuses_or_neutralises_line_breaks(app, clinic):
    """Every break in a name or an address: refused with a message (or, for text that only looks like one,
    taken with clean headers)."""
    cases = [("name", v) for v in BAD_NAMES] + [("email", v) for v in BAD_EMAILS]
    for field, value in cases:
        visitor = Visitor(app.test_client(), request_path(clinic))
        before, before_rows = snapshot(), [r.id for r in outbox()]
        outcome = refused_or_clean(app, visitor.send(**{field: value}), before_rows, before)
        real_break = any(b in value for b in BREAKS if b != "%0d%0a")
        if real_break or (field == "name" and "%0d%0a" not in value):
            assert outcome == "refused", ("a line break of any kind is never taken", field, value)


def test_the_booking_form_refuses_or_neutralises_line_breaks(app, clinic, hub):
    client = app.test_client()
    token = links.booking_token(app.config["SECRET_KEYS"], owner_of(clinic))
    start = slots(client.get(f"/b/{token}"))[0].isoformat()
    service = service_of(clinic).id
    for field, value in [("name", v) for v in BAD_NAMES] + [("email", v) for v in BAD_EMAILS]:
        form = form_token(client.get(f"/b/{token}/book?service={service}&start={start}"))
        data = {"name": "Noor Haddad", "email": "noor@example.com", "start": start, "form_token": form, field: value}
        before, before_rows = snapshot(), [r.id for r in outbox()]
        outcome = refused_or_clean(
            app, client.post(f"/b/{token}/book?service={service}", data=data), before_rows, before
        )
        if outcome == "accepted":
            # The slot is taken now: the next case needs another.
            start = slots(client.get(f"/b/{token}"))[0].isoformat()


def test_the_dashboard_link_form_refuses_line_breaks_in_the_address(app, clinic):
    make_client(clinic, email="sam@example.com")
    client = app.test_client()
    for value in BAD_EMAILS:
        before = snapshot()
        response = client.post("/c/", data={"email": value, "form_token": form_token(client.get("/c/"))})
        if any(b in value for b in BREAKS if b != "%0d%0a"):
            assert response.status_code == 422 and "valid email address" in response.get_data(as_text=True), value
        if response.status_code != 200:
            assert snapshot() == before


def test_a_name_that_looks_like_a_header_adds_no_header(app, clinic, smtp_server):
    """Names the form takes (one line, but header-like) are delivered through a real SMTP server: the received
    messages have no added header, and the name reaches no Subject (emails to the team name nobody). The
    clinic's discreet sender name, header-like too, stays inside the client's Subject and From."""
    Clinic.update(mail_sender_name="=?utf-8?q?Harbour?= victim@example.com").where(Clinic.id == clinic.id).execute()
    for name in [f"Sam {INJECTED}", f"Sám {INJECTED} \u00e9\u4e2d", "=?utf-8?q?Sam?= victim@example.com"]:
        smtp_server.messages.clear()
        visitor = Visitor(app.test_client(), request_path(clinic))
        assert visitor.send(name=name, email=f"sam{len(name)}@example.com").status_code == 200, name
        sent, failed = deliver_due(app)
        assert failed == 0 and sent == len(smtp_server.messages) >= 2
        for message in smtp_server.messages:
            names = {header.lower() for header in message.keys()}
            assert "bcc" not in names and names <= EXPECTED_HEADERS | {"x-peer", "x-mailfrom", "x-rcpttos"}, names
            assert len(message.get_all("To")) == 1
            assert "Sam" not in str(message["Subject"]) and "Sám" not in str(message["Subject"])
        [to_client] = [m for m in smtp_server.messages if m["To"] == f"sam{len(name)}@example.com"]
        assert "victim@example.com" in str(to_client["Subject"])
        [sender] = to_client["From"].addresses
        assert sender.addr_spec == "frontdesk@localhost" and "victim@example.com" in sender.display_name


def test_the_outbox_refuses_a_header_line_whatever_the_caller(app, clinic):
    """The last guard: the outbox's queue() never stores a recipient or subject that would add a header line."""
    kim = make_client(clinic, email="x@example.com")
    for to, subject in [
        ("a@example.com\r\nBcc: v@example.com", "Hello"),
        ("a@example.com", "Hello\nBcc: v@example.com"),
        ("a@example.com", "Hello\rBcc: v@example.com"),
        ("a@example.com", "Hello\u2028Bcc: v@example.com"),
        ("a@example.com", "Hello =?utf-8?q?=0D=0ABcc:_v@example.com?="),
    ]:
        before = len(outbox())
        with pytest.raises(HeaderInjection):
            queue(to, "dashboard_link", subject, "en", client=kim, clinic=clinic)
        assert len(outbox()) == before

"""HTML and script payloads in every field a client fills in (name, message, built-in answers, answers to
the clinic's own questions), and in the clinic's own question labels and notes, are rendered inert:

- in the workstation, checked in Chromium with the page's Content-Security-Policy switched off (so the
  escaping itself is what is tested, not the CSP behind it): no dialog ever opens while the professional
  opens the waitlist, the request, the clients, a client, the calendar, a session and the charges; no
  element carries an event handler or a javascript: link; the payloads read as text;
- on the client's own dashboard and manage page;
- in the charges CSV (a formula stays text) and in every email's HTML part (escaped, no script, no handler).
"""

import csv
import datetime as dt
import email
import html.parser
import io
from email import policy

import pytest
from frontdesk import links
from frontdesk.mail import mime, outbox
from frontdesk.models import Appointment, ChargeDecision, Client, Clinic, OutboxMessage, Request

from tests.app.booking_fixtures import make_session, owner_of
from tests.app.conftest import Visitor, accept, add_question, request_path, set_registration

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
JS_URL = "javascript:alert(3)"
TITLE_BREAK = "</title><script>alert(4)</script>"
SVG = "<svg/onload=alert(5)>"
# The name: every payload at once, within the name's 120 characters and on one line.
NAME = f"{TITLE_BREAK}{IMG}{SVG}"[:120]
TEXT = f'{SCRIPT} {IMG} {JS_URL} {TITLE_BREAK} {SVG} <a href="{JS_URL}">click</a> {{{{7*7}}}}'
FORMULA = '=HYPERLINK("http://evil.example","x")'


class Unsafe(html.parser.HTMLParser):
    """Collects what would run in an HTML document: script elements, event handlers, javascript: links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.found.append(("script", dict(attrs)))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((tag, name, value))
            link = name in ("href", "src", "action", "formaction")
            if link and (value or "").strip().lower().startswith("javascript:"):
                self.found.append((tag, name, value))


def unsafe_parts(document):
    parser = Unsafe()
    parser.feed(document)
    parser.close()
    return parser.found


@pytest.fixture
def poisoned(app, clinic, owner):
    """A request, client, sessions and a charge decision whose every client-written field holds payloads;
    the owner accepted the request and booked a session, so every kind of email went out."""
    set_registration(
        clinic,
        address="optional",
        reason="optional",
        heard_about="optional",
        emergency_contact="optional",
        national_id="optional",
    )
    short = add_question(clinic, f"Short {SCRIPT}"[:300], "short_text")
    long = add_question(clinic, f"Long {IMG}", "long_text")
    choice = add_question(clinic, "Pick", "single_choice", [f"A {SVG}", "B"])
    visitor = Visitor(app.test_client(), request_path(clinic))
    response = visitor.send(
        name=NAME,
        email="payload@example.com",
        message=TEXT,
        address=TEXT[:500],
        reason=TEXT,
        heard_about=TEXT[:200].replace("\n", " "),
        emergency_contact=f"{IMG}{SCRIPT}",
        national_id=JS_URL,
        **{f"q_{short.id}": TEXT[:500], f"q_{long.id}": TEXT, f"q_{choice.id}": f"A {SVG}"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    request = Request.get()
    assert accept(owner, request).status_code == 302
    client = Client.get_by_id(request.client_id)
    day = dt.date.today() + dt.timedelta(days=3)
    booked = owner.post(
        f"/workstation/clients/{client.id}/sessions",
        {
            "service": str(clinic.services.first().id),
            "professional": str(owner_of(clinic).id),
            "day": day.isoformat(),
            "time": "11:00",
        },
        page=f"/workstation/clients/{client.id}",
    )
    assert booked.status_code == 302
    past = make_session(clinic, -3, channel="direct", client=client)
    ChargeDecision.create(
        clinic=clinic, appointment=past, reason="no_show", amount_cents=4000, currency="GBP", note=TEXT
    )
    # A second client whose name a spreadsheet would run as a formula.
    formula = make_session(
        clinic,
        -30,
        channel="direct",
        client=Client.create(clinic=clinic, email="f@example.com", name=FORMULA, status="active"),
    )
    ChargeDecision.create(clinic=clinic, appointment=formula, reason="no_show", amount_cents=1000, currency="GBP")
    return {
        "request": request,
        "client": client,
        "session": Appointment.get(Appointment.starts_at > past.starts_at, Appointment.client == client),
        "past": past,
        "day": day,
    }


def test_payloads_are_escaped_in_every_email_html_part(app, poisoned):
    """Every queued email (request received, new request, accepted, session booked to both) is built as it
    is sent; its HTML part runs nothing: no script, no handler, no javascript: link, a plain title."""
    rows = list(OutboxMessage.select())
    assert len(rows) >= 5
    shown_escaped = 0
    for row in rows:
        raw = bytes(mime.build_message(outbox.rendered(row), app.config["MAIL_FROM"]))
        message = email.message_from_bytes(raw, policy=policy.default)
        part = message.get_body(("html",))
        document = part.get_content()
        assert unsafe_parts(document) == [], (row.subject, unsafe_parts(document))
        assert SCRIPT not in document and "<img" not in document and "<svg" not in document, row.subject
        assert "</title><script" not in document, row.subject
        if "&lt;/title&gt;" in document or "&lt;img" in document:
            shown_escaped += 1
    assert shown_escaped >= 1, "the client's name is shown (escaped) in at least the new-request email"


def test_the_charges_csv_keeps_payloads_as_text(app, poisoned, owner):
    response = owner.client.get("/workstation/charges.csv?status=all")
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    names = {row["client"] for row in rows}
    assert "'" + FORMULA in names, names
    assert not any(value[:1] in ("=", "+", "-", "@") for row in rows for value in row.values() if value), rows


WORKSTATION_PAGES = [
    "/workstation/requests",
    "/workstation/requests/{request}",
    "/workstation/clients",
    "/workstation/clients/{client}",
    "/workstation/sessions?day={day}",
    "/workstation/sessions/{session}",
    "/workstation/sessions/{past}",
    "/workstation/charges?status=all",
    "/workstation/settings/client-access",
]

INSPECT = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith('on') || (['href', 'src', 'action', 'formaction'].includes(attr.name)
          && value.startsWith('javascript:'))) found.push(el.tagName + ' ' + attr.name + '=' + attr.value);
    }
  }
  for (const s of document.querySelectorAll('script:not([src])')) found.push('inline script: ' + s.textContent);
  for (const t of document.querySelectorAll('svg, object, embed')) found.push(t.outerHTML.slice(0, 80));
  // The settings page previews the clinic's own form in a frame: only frames of this server are expected.
  for (const f of document.querySelectorAll('iframe')) {
    if (!f.src.startsWith(location.origin + '/')) found.push(f.outerHTML.slice(0, 80));
  }
  return found;
}"""


def test_payloads_are_inert_in_the_workstation_and_client_pages_in_the_browser(app, live_server, chromium, poisoned):
    """The professional opens every page that shows what the client wrote, in Chromium with CSP bypassed:
    no dialog fires, nothing injected is found in the DOM, and the payloads read as text."""
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    dialogs = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(live_server("/workstation/login"))
        page.fill("input[name=email]", "owner@harbour.example")
        page.fill("input[name=password]", "owner-password")
        page.click("button[type=submit]")
        page.wait_for_url("**/workstation/requests")
        ids = {
            "request": poisoned["request"].id,
            "client": poisoned["client"].id,
            "session": poisoned["session"].id,
            "past": poisoned["past"].id,
            "day": poisoned["day"].isoformat(),
        }
        keys = app.config["SECRET_KEYS"]
        client_pages = [
            f"/c/{links.dashboard_token(keys, Client.get_by_id(ids['client']))}",
            f"/m/{links.manage_token(keys, Appointment.get_by_id(ids['session']))}",
            f"/r/{links.request_token(keys, Clinic.get())}",
        ]  # the clinic's own question labels
        for path in [p.format(**ids) for p in WORKSTATION_PAGES] + client_pages:
            response = page.goto(live_server(path))
            assert response.status == 200, path
            page.wait_for_load_state("load")
            assert page.evaluate(INSPECT) == [], path
            assert dialogs == [], (path, dialogs)
        for path, expected in [
            (f"/workstation/requests/{ids['request']}", [NAME, SCRIPT, JS_URL, IMG]),
            (f"/workstation/clients/{ids['client']}", [NAME]),
            (f"/workstation/sessions/{ids['session']}", [NAME]),
            (client_pages[0], [NAME]),
        ]:
            page.goto(live_server(path))
            body = page.inner_text("body")
            for payload in expected:
                assert payload in body, (path, payload)
        page.wait_for_timeout(300)  # an onerror or a timer would have fired by now
        assert dialogs == []
    finally:
        context.close()

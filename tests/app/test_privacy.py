"""The client's rights (issue 12): export, erasure, retention and the audit log, as the owner, a colleague
and the client meet them."""

import datetime
import json
import os

import pytest
from frontdesk import appointments, privacy, waitlist
from frontdesk.mail.delivery import deliver_due
from frontdesk.models import (
    MODELS,
    Appointment,
    AuditEvent,
    ChargeDecision,
    Client,
    Clinic,
    OutboxMessage,
    Request,
    utcnow,
)
from itsdangerous.timed import TimestampSigner

from tests.conftest import outbox, snapshot
from tests.pages import form_token

from .booking_fixtures import dashboard_path, fresh, make_session, owner_of
from .conftest import accept, decline, set_registration, text

NAME, EMAIL, PHONE = "Sam Rivera", "sam.rivera@example.com", "07400 123456"


@pytest.fixture
def sam(ask, owner, clinic):
    """Sam asked (with a phone number and a message), was accepted, has a session and a no-show charge, and
    every email about them went out through the file backend."""
    set_registration(clinic, phone="optional")
    request = ask(name=NAME, email=EMAIL, phone=PHONE, message="I have been anxious since the move")
    assert accept(owner, request).status_code == 302
    client = Client.get_by_id(request.client_id)
    past = make_session(clinic, -3, channel="request", client=client)
    appointments.mark_no_show(past, owner_of(clinic))
    appointments.book(
        clinic,
        owner_of(clinic),
        client,
        past.service,
        past.starts_at + datetime.timedelta(days=7),
        50,
        owner_of(clinic),
    )
    return client


def deliver(app):
    sent, failed = deliver_due(app)
    assert failed == 0
    return sent


def every_value():
    """Every value of every row of every table, as text."""
    return "\n".join(str(value) for model in MODELS for row in model.select().dicts() for value in row.values())


def mail_folder_text(app):
    folder = os.path.join(app.instance_path, "mail")
    if not os.path.isdir(folder):
        return ""
    return "\n".join(
        open(os.path.join(folder, name), encoding="utf-8", errors="replace").read() for name in os.listdir(folder)
    )


def export_of(owner, client):
    page = f"/workstation/clients/{client.id}"
    return owner.post(f"{page}/export", page=page)


# --- Export -----------------------------------------------------------------------------------------


def test_the_owner_downloads_a_clients_data_as_json(app, owner, sam):
    deliver(app)
    Appointment.update(video_link="https://meet.example.org/sam-rivera", place_note="Room 2, ring twice").where(
        Appointment.client == sam
    ).execute()
    response = export_of(owner, sam)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f'attachment; filename="client-{sam.id}-export.json"'
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data(as_text=True))
    assert data["client"]["name"] == NAME and data["client"]["email"] == EMAIL
    assert data["requests"][0]["message"] == "I have been anxious since the move"
    assert any(a["value"] for a in data["requests"][0]["answers"])
    assert len(data["sessions"]) == 2
    assert {(s["video_link"], s["place_note"]) for s in data["sessions"]} == {
        ("https://meet.example.org/sam-rivera", "Room 2, ring twice")
    }
    assert data["charges"][0]["reason"] == "no_show"
    assert data["emails"] and all(e["subject"] for e in data["emails"])
    event = AuditEvent.get(AuditEvent.action == "exported")
    assert (event.client_id, event.role, event.member_id) == (sam.id, "owner", owner_of(sam.clinic).id)


def test_a_colleague_can_neither_export_nor_erase_nor_read_the_log(app, staff, sam):
    page = f"/workstation/clients/{sam.id}"
    before = snapshot()
    assert staff.post(f"{page}/export", page=page).status_code == 403
    assert staff.client.get(f"{page}/erase").status_code == 403
    assert staff.post(f"{page}/erase", page=page).status_code == 403
    assert staff.client.get("/workstation/privacy").status_code == 403
    assert staff.client.get("/workstation/privacy/audit").status_code == 403
    assert snapshot() == before
    assert "Download their data" not in text(staff.client.get(page))


def test_an_export_with_an_expired_form_downloads_nothing(app, owner, sam):
    response = owner.client.post(f"/workstation/clients/{sam.id}/export", data={"csrf_token": "forged"})
    assert response.status_code == 302
    assert not AuditEvent.select().where(AuditEvent.action == "exported").exists()


# --- Erasure ----------------------------------------------------------------------------------------


def test_erasing_a_client_leaves_no_trace_of_them_anywhere(app, owner, sam, clinic):
    deliver(app)
    assert NAME in mail_folder_text(app)
    charge_before = ChargeDecision.get()
    page = f"/workstation/clients/{sam.id}"
    confirm = owner.client.get(f"{page}/erase")
    assert confirm.status_code == 200 and "This cannot be undone" in text(confirm)
    response = owner.post(f"{page}/erase", page=f"{page}/erase")
    assert response.status_code == 302
    everything = every_value().lower() + mail_folder_text(app).lower()
    for trace in (NAME, "Sam", "Rivera", EMAIL, "7400 123456", "7400123456", "anxious"):
        assert trace.lower() not in everything, trace
    charge = ChargeDecision.get()
    assert (charge.amount_cents, charge.created_at, charge.appointment_id) == (
        charge_before.amount_cents,
        charge_before.created_at,
        charge_before.appointment_id,
    )
    assert not OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).exists()
    event = AuditEvent.get(AuditEvent.action == "erased")
    assert event.client_id == sam.id
    assert "erased" in text(owner.client.get(page)).lower()


def test_erasing_drops_queued_emails_and_cancels_upcoming_sessions_silently(app, owner, sam):
    assert outbox(EMAIL)  # not delivered yet
    privacy.erase(fresh(sam), owner_of(sam.clinic))
    assert not OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).exists()
    assert all(s.status == "cancelled" for s in fresh(sam).appointments if s.starts_at > utcnow())


def test_erasing_twice_or_with_an_expired_form_changes_nothing(app, owner, sam):
    page = f"/workstation/clients/{sam.id}/erase"
    before = snapshot()
    response = owner.client.post(page, data={"csrf_token": "forged"})
    assert response.status_code == 422 and "expired" in text(response).lower()
    assert snapshot() == before
    assert owner.post(page, page=page).status_code == 302
    erased = snapshot()
    response = owner.post(page, page=f"/workstation/clients/{sam.id}")
    assert response.status_code == 302
    assert snapshot() == erased
    with pytest.raises(privacy.AlreadyErased):
        privacy.erase(fresh(sam), owner_of(sam.clinic))


# --- The client's own rights, from a fresh dashboard link -------------------------------------------


def old_dashboard_path(client, monkeypatch, seconds_ago):
    now = int(TimestampSigner("x").get_timestamp())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now - seconds_ago)
    path = dashboard_path(client)
    monkeypatch.undo()
    return path


def test_a_client_downloads_their_data_from_a_fresh_link(app, client, sam):
    page = client.get(dashboard_path(sam))
    assert "Download my data" in text(page)
    response = client.get(dashboard_path(sam) + "/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"] and "no-store" in response.headers["Cache-Control"]
    assert json.loads(response.get_data(as_text=True))["client"]["email"] == EMAIL
    assert AuditEvent.get(AuditEvent.action == "exported").role == "client"


def test_an_older_dashboard_link_asks_for_a_new_one(app, client, sam, monkeypatch):
    path = old_dashboard_path(sam, monkeypatch, 2 * 60 * 60)
    page = client.get(path)
    assert page.status_code == 200 and "Download my data" not in text(page)
    assert "in the last hour" in text(page)
    response = client.get(path + "/export")
    assert response.status_code == 410 and "Enter your email" in text(response)
    assert EMAIL not in text(response)
    assert not AuditEvent.select().where(AuditEvent.action == "exported").exists()


def test_tampered_or_replaced_links_export_nothing(app, client, sam):
    path = dashboard_path(sam)
    assert client.get(path[:-3] + "abc/export").status_code == 404
    Client.update(dashboard_nonce="changed").where(Client.id == sam.id).execute()
    assert client.get(path + "/export").status_code == 410


def test_a_client_asks_to_be_erased_and_the_owner_is_told_without_their_name(app, client, sam, owner):
    path = dashboard_path(sam)
    token = form_token(client.get(path))
    response = client.post(path + "/erase", data={"form_token": token})
    assert response.status_code == 200 and "has your request" in text(response)
    told = outbox("owner@harbour.example")[-1]
    assert "erased" in told.subject
    for part in (told.subject, told.text_body, told.html_body):
        assert NAME not in part and EMAIL not in part
    assert client.post(path + "/erase", data={"form_token": token}).status_code == 200
    assert len([m for m in outbox("owner@harbour.example") if m.subject == told.subject]) == 1
    privacy_page = text(owner.client.get("/workstation/privacy"))
    assert NAME in privacy_page
    assert "asked to be erased" in privacy_page.lower() or "asked on" in privacy_page


def test_an_erasure_request_with_a_bad_form_token_or_an_old_link_changes_nothing(app, client, sam, monkeypatch):
    before = snapshot()
    path = dashboard_path(sam)
    assert client.post(path + "/erase", data={"form_token": "forged"}).status_code == 422
    old = old_dashboard_path(sam, monkeypatch, 2 * 60 * 60)
    assert client.post(old + "/erase", data={"form_token": form_token(client.get(path))}).status_code == 410
    assert snapshot() == before


# --- Retention --------------------------------------------------------------------------------------


def test_purge_deletes_old_declined_requests_and_empties_old_email_bodies(app, owner, ask, runner, clinic):
    old = ask(name="Old Decline", email="old@example.com")
    recent = ask(name="Recent Decline", email="recent@example.com")
    waiting = ask(name="Still Waiting", email="waiting@example.com")
    decline(owner, old)
    decline(owner, recent)
    deliver(app)
    long_ago = utcnow() - datetime.timedelta(days=400)
    Request.update(decided_at=long_ago).where(Request.id == old.id).execute()
    OutboxMessage.update(sent_at=utcnow() - datetime.timedelta(days=100)).where(
        OutboxMessage.to_address == "recent@example.com"
    ).execute()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 request(s) and 1 client(s)" in result.output
    assert not Request.select().where(Request.id == old.id).exists()
    assert not Client.select().where(Client.email == "old@example.com").exists()
    assert Request.select().where(Request.id.in_([recent.id, waiting.id])).count() == 2
    assert "Old Decline" not in every_value() and "Old Decline" not in mail_folder_text(app)
    emptied = outbox("recent@example.com")
    assert emptied and all(m.text_body == "" and m.html_body == "" for m in emptied)
    assert all(m.text_body for m in outbox("waiting@example.com"))


def test_purge_deletes_old_withdrawn_requests_too(app, ask, runner):
    withdrawn = ask(name="Took It Back", email="back@example.com")
    waitlist.withdraw(withdrawn)
    Request.update(decided_at=utcnow() - datetime.timedelta(days=400)).where(Request.id == withdrawn.id).execute()
    assert runner.invoke(args=["purge"]).exit_code == 0
    assert not Request.select().where(Request.id == withdrawn.id).exists()
    assert "Took It Back" not in every_value()


def test_the_owner_sets_the_retention_periods_and_bad_ones_are_refused(app, owner, clinic):
    page = "/workstation/privacy"
    response = owner.post(
        "/workstation/privacy/retention", {"request_retention_days": "30", "mail_body_retention_days": "7"}, page=page
    )
    assert response.status_code == 302
    saved = Clinic.get_by_id(clinic.id)
    assert (saved.request_retention_days, saved.mail_body_retention_days) == (30, 7)
    before = snapshot()
    for bad in ("0", "-5", "99999", "ten", "", "9" * 30):
        response = owner.post(
            "/workstation/privacy/retention",
            {"request_retention_days": bad, "mail_body_retention_days": "7"},
            page=page,
        )
        assert response.status_code == 422, bad
    assert snapshot() == before


# --- The audit log ----------------------------------------------------------------------------------


def test_opening_and_changing_records_is_logged_with_ids_only(app, owner, sam, clinic):
    owner.client.get(f"/workstation/clients/{sam.id}", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    opened = AuditEvent.select().where(AuditEvent.action == "opened", AuditEvent.kind == "client").get()
    assert (opened.client_id, opened.role, opened.ip) == (sam.id, "owner", "203.0.113.9")
    changes = {(e.kind, e.action) for e in AuditEvent.select()}
    assert {("request", "changed"), ("session", "changed")} <= changes
    logged = every_value_of(AuditEvent)
    assert NAME not in logged and EMAIL not in logged


def every_value_of(model):
    return "\n".join(str(v) for row in model.select().dicts() for v in row.values())


def test_the_owner_filters_the_audit_log(app, owner, sam, clinic, ask):
    other = ask(name="Noor Haddad", email="noor@example.com")
    owner.client.get(f"/workstation/requests/{other.id}")
    page = text(owner.client.get(f"/workstation/privacy/audit?client={sam.id}"))
    assert f"/workstation/privacy/audit?client={other.client_id}" not in page
    assert f"?client={sam.id}" in page
    page = text(owner.client.get("/workstation/privacy/audit?kind=request&action=opened"))
    assert f"#{other.id}" in page
    today = datetime.date.today()
    assert owner.client.get(f"/workstation/privacy/audit?day_from={today}&day_to={today}").status_code == 200
    for bad in ("client=abc", "client=99999999999999999999", "kind=secrets", "member=x", "day_from=2024-13-01"):
        assert owner.client.get(f"/workstation/privacy/audit?{bad}").status_code == 422, bad


def test_the_audit_log_is_paginated(app, owner, clinic, sam):
    for _ in range(60):
        AuditEvent.create(
            clinic=clinic, role="owner", action="opened", kind="client", object_id=sam.id, client_id=sam.id
        )
    first = text(owner.client.get(f"/workstation/privacy/audit?client={sam.id}"))
    assert "Next page" in first
    second = owner.client.get(f"/workstation/privacy/audit?client={sam.id}&page=2")
    assert second.status_code == 200 and "Previous page" in text(second)


# --- Less in email ----------------------------------------------------------------------------------


def test_the_teams_emails_name_nobody_and_link_to_the_workstation(app, sam):
    for message in outbox("owner@harbour.example"):
        document = message.subject + message.text_body + message.html_body
        for trace in (NAME, EMAIL, "anxious", "+447400123456"):
            assert trace not in document, (message.subject, trace)
        assert "http://frontdesk.test/workstation/" in message.text_body


def test_a_discreet_sender_name_replaces_the_clinics_name_on_client_emails(app, owner, clinic, ask, smtp_server):
    page = "/workstation/privacy"
    response = owner.post("/workstation/privacy/sender", {"mail_sender_name": "A. Byrne"}, page=page)
    assert response.status_code == 302
    ask(name=NAME, email=EMAIL)
    deliver(app)
    [to_client] = [m for m in smtp_server.messages if m["To"] == EMAIL]
    assert to_client["Subject"] == "We received your request to A. Byrne"
    assert "Harbour" not in to_client["Subject"] and "Harbour" not in to_client["From"]
    assert to_client["From"].addresses[0].display_name == "A. Byrne"
    [to_owner] = [m for m in smtp_server.messages if m["To"] == "owner@harbour.example"]
    assert "A. Byrne" not in to_owner["From"]


def test_a_bad_sender_name_is_refused(app, owner, clinic):
    before = snapshot()
    for bad in ("A\r\nBcc: x@example.com", "x" * 200, "Line\u2028break"):
        response = owner.post("/workstation/privacy/sender", {"mail_sender_name": bad}, page="/workstation/privacy")
        assert response.status_code == 422, bad
    assert snapshot() == before


# --- Privacy notice and consent on every public form ------------------------------------------------

NOTICE_EN, NOTICE_DE = "https://harbour.example/privacy", "https://harbour.example/de/datenschutz"
CONSENT_EN = "I agree that the clinic keeps and uses what I send here to arrange my care"


def set_notice(owner, consent=True, **notices):
    data = {f"notice_{code}": url for code, url in notices.items()}
    if consent:
        data["privacy_consent"] = "on"
    return owner.post("/workstation/privacy/notice", data, page="/workstation/privacy")


def test_the_owner_sets_a_notice_per_language_and_bad_addresses_are_refused(app, owner, clinic):
    before = snapshot()
    for bad in ("http://harbour.example/privacy", "javascript:alert(1)", "harbour.example", "https://", "https://a b"):
        assert set_notice(owner, en=bad).status_code == 422, bad
    response = set_notice(owner, de=NOTICE_DE)  # consent without a notice in the default language
    assert response.status_code == 422 and "add its address" in text(response)
    assert snapshot() == before
    assert set_notice(owner, en=NOTICE_EN, de=NOTICE_DE).status_code == 302
    saved = Clinic.get_by_id(clinic.id)
    assert saved.privacy_notice == {"en": NOTICE_EN, "de": NOTICE_DE} and saved.privacy_consent


def test_the_request_form_links_the_notice_and_keeps_the_consent_as_shown(app, owner, clinic, visitor):
    set_notice(owner, en=NOTICE_EN, de=NOTICE_DE)
    page = text(visitor.open())
    assert NOTICE_EN in page and CONSENT_EN in page
    before = snapshot()
    refused = visitor.send()
    assert refused.status_code == 422 and "Please agree to the privacy notice" in text(refused)
    assert snapshot() == before
    assert visitor.send(privacy_consent="y").status_code == 200
    request = Request.get()
    assert request.consent_text.startswith(CONSENT_EN) and request.consent_at is not None
    detail = text(owner.client.get(f"/workstation/requests/{request.id}"))
    assert "Agreed to the privacy notice" in detail and CONSENT_EN in detail


def test_the_consent_is_kept_in_the_language_the_client_read(app, owner, clinic, visitor):
    set_notice(owner, en=NOTICE_EN, de=NOTICE_DE)
    path = visitor.path + "?lang=de"
    page = text(visitor.open(path))
    assert NOTICE_DE in page and NOTICE_EN not in page
    assert visitor.send(path=path, privacy_consent="y").status_code == 200
    wording = Request.get().consent_text
    assert wording and not wording.startswith("I agree")


def test_a_self_booking_asks_for_consent_too(app, owner, clinic, hub, client):
    from .booking_fixtures import booking_path
    from .test_booking_management_pages import book, open_details

    set_notice(owner, en=NOTICE_EN)
    calendar = booking_path(owner_of(clinic))
    _start, path, page = open_details(client, calendar, clinic)
    assert NOTICE_EN in text(page) and CONSENT_EN in text(page)
    before = snapshot()
    refused = book(client, path, page)
    assert refused.status_code == 422 and "Please agree to the privacy notice" in text(refused)
    assert snapshot() == before
    assert book(client, path, page, privacy_consent="y").status_code == 200
    session = Appointment.get()
    assert session.consent_text.startswith(CONSENT_EN) and session.consent_at is not None


def test_without_a_notice_the_forms_ask_nothing_more(app, clinic, visitor):
    page = text(visitor.open())
    assert "privacy notice" not in page
    assert visitor.send().status_code == 200
    assert Request.get().consent_text == ""


# --- The clinic's registration requirements apply to self-booking too (issue 13) --------------------


def test_a_self_booking_asks_what_the_registration_asks(app, owner, clinic, hub, client):
    from .booking_fixtures import booking_path
    from .conftest import add_question
    from .test_booking_management_pages import book, open_details

    set_registration(clinic, phone="required", reason="optional")
    question = add_question(clinic, "Have you had therapy before?", "yes_no", required=True)
    calendar = booking_path(owner_of(clinic))
    _start, path, page = open_details(client, calendar, clinic)
    shown = text(page)
    assert "Phone" in shown and "Have you had therapy before?" in shown and "Reason for contact" in shown
    before = snapshot()
    for missing in (
        {},
        {"phone": PHONE},
        {f"q_{question.id}": "yes"},
        {"phone": "not a phone", f"q_{question.id}": "yes"},
    ):
        assert book(client, path, page, **missing).status_code == 422, missing
    assert snapshot() == before
    response = book(client, path, page, phone=PHONE, reason="Sleep", **{f"q_{question.id}": "no"})
    assert response.status_code == 200
    session = Appointment.get()
    assert {a.get("key") or a.get("question"): a["value"] for a in session.answers} == {
        "phone": "+447400123456",
        "reason": "Sleep",
        "Have you had therapy before?": "no",
    }
    assert Client.get_by_id(session.client_id).phone == "+447400123456"
    detail = text(owner.client.get(f"/workstation/sessions/{session.id}"))
    assert "Have you had therapy before?" in detail and "Sleep" in detail


def test_a_hub_booking_asks_what_the_registration_asks(app, clinic, hub, client):
    from .booking_fixtures import hub_path, slots
    from .test_booking_management_pages import book

    set_registration(clinic, phone="required")
    member = f"{hub_path(hub)}/p/{owner_of(clinic).id}"
    start = slots(client.get(member))[0]
    page_path = f"{member}/book?start={start.isoformat()}"
    page = client.get(page_path)
    assert "Phone" in text(page)
    before = snapshot()
    assert book(client, page_path, page).status_code == 422
    assert snapshot() == before
    assert book(client, page_path, page, phone=PHONE).status_code == 200
    assert Appointment.get().answers == [{"key": "phone", "value": "+447400123456"}]

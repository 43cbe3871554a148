"""A public form never changes a known client's record (issue 12, issue 11): what it says stays with its
request or booking, the team sees the differences and applies them, and emails keep the record's language."""

import datetime as dt

from frontdesk.models import Appointment, Client, Request

from tests.conftest import outbox, snapshot

from .booking_fixtures import booking_path, make_client, owner_of
from .conftest import SETTINGS_PAGE, Visitor, request_path, text
from .test_booking_management_pages import book, open_details


def known_client(clinic):
    client = make_client(clinic)
    Client.update(
        phone="+442079460001", language="de", timezone="Europe/Berlin", date_of_birth=dt.date(1980, 5, 1)
    ).where(Client.id == client.id).execute()
    return Client.get_by_id(client.id)


def as_recorded(client):
    row = Client.get_by_id(client.id)
    return dict(name=row.name, phone=row.phone, language=row.language, timezone=row.timezone), row.date_of_birth


def test_a_request_with_a_known_email_keeps_its_details_for_review(app, clinic, owner):
    """Someone who knows Kim's address sends a request as "Mallory" in English from another zone: Kim's record,
    and the language and zone of her emails, stay as they were; the request carries what it said."""
    clinic.registration = {"phone": "optional", "date_of_birth": "optional"}
    clinic.save()
    kim = known_client(clinic)
    before = as_recorded(kim)
    visitor = Visitor(app.test_client(), request_path(clinic) + "?lang=en&tz=America/New_York")
    response = visitor.send(
        name="Mallory",
        email="KIM@example.com",
        phone="+442079460999",
        date_of_birth="1999-01-02",
        tz="America/New_York",
    )
    assert response.status_code == 200, text(response)
    assert as_recorded(kim) == before

    request = Request.get()
    assert request.client_id == kim.id
    assert request.submitted_details == {
        "name": "Mallory",
        "phone": "+442079460999",
        "date_of_birth": "1999-01-02",
        "language": "en",
        "timezone": "America/New_York",
    }
    received = outbox("kim@example.com")[-1]
    assert "Anfrage" in received.subject  # German, the record's language, not the form's English

    page = text(owner.client.get(f"/workstation/requests/{request.id}"))
    assert "Details to review" in page
    for shown in ("Mallory", "Kim Lee", "America/New_York", "Europe/Berlin", "1999-01-02", "Apply these details"):
        assert shown in page


def test_the_professional_applies_the_details_once(app, clinic, owner):
    kim = known_client(clinic)
    Visitor(app.test_client(), request_path(clinic)).send(name="Kim Lee-Park", email="kim@example.com")
    request = Request.get()
    path = f"/workstation/requests/{request.id}"
    response = owner.post(path + "/apply-details", page=path)
    assert response.status_code == 302
    page = text(owner.client.get(response.headers["Location"]))
    assert "Kim Lee-Park's record now has the details from this form." in page
    assert Client.get_by_id(kim.id).name == "Kim Lee-Park"
    assert Request.get_by_id(request.id).submitted_details is None
    assert "Details to review" not in page

    before = snapshot()
    again = owner.post(path + "/apply-details", page=SETTINGS_PAGE)
    assert "These details were already applied." in text(owner.client.get(again.headers["Location"]))
    assert snapshot() == before


def test_a_stale_apply_form_changes_nothing(app, clinic, owner):
    known_client(clinic)
    Visitor(app.test_client(), request_path(clinic)).send(name="Mallory", email="kim@example.com")
    request = Request.get()
    before = snapshot()
    owner.client.post(f"/workstation/requests/{request.id}/apply-details", data={"csrf_token": "stale"})
    assert snapshot() == before


def test_a_new_person_has_nothing_to_review(app, clinic, owner):
    Visitor(app.test_client(), request_path(clinic)).send(name="Sam Rivera", email="sam@example.com")
    request = Request.get()
    assert request.submitted_details is None and request.client.name == "Sam Rivera"
    assert "Details to review" not in text(owner.client.get(f"/workstation/requests/{request.id}"))


def test_a_booking_with_a_known_email_keeps_its_details_for_review(client, clinic, hub, owner):
    kim = known_client(clinic)
    before = as_recorded(kim)
    calendar = booking_path(owner_of(clinic))
    _, path, page = open_details(client, calendar, clinic)
    response = book(client, path, page, name="Mallory", email="kim@example.com")
    assert response.status_code == 200, text(response)
    assert as_recorded(kim) == before
    session = Appointment.get()
    assert session.client_id == kim.id and session.submitted_details["name"] == "Mallory"

    detail = f"/workstation/sessions/{session.id}"
    shown = text(owner.client.get(detail))
    assert "Details to review" in shown and "Mallory" in shown
    owner.post(detail + "/apply-details", page=detail)
    assert Client.get_by_id(kim.id).name == "Mallory"
    assert Appointment.get_by_id(session.id).submitted_details is None


def test_the_confirmation_of_a_booking_is_in_the_records_language(client, clinic, hub):
    kim = known_client(clinic)
    calendar = booking_path(owner_of(clinic))
    _, path, page = open_details(client, calendar, clinic)
    book(client, path, page, name="Kim Lee", email="kim@example.com")
    confirmation = outbox("kim@example.com")[-1]
    assert Client.get_by_id(kim.id).language == "de"
    assert "gebucht" in confirmation.subject

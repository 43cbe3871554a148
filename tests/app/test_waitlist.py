"""Clients → Requests: the professional works through the waitlist, opening, accepting and declining."""

import pytest
from frontdesk.models import Appointment, Client, Hub, Professional, Request

from tests.conftest import outbox
from tests.pages import details, parse, texts

from .booking_fixtures import hub_path
from .conftest import (
    SETTINGS_PAGE,
    Visitor,
    accept,
    add_question,
    decline,
    first_service,
    request_path,
    set_registration,
    text,
)


def test_waiting_requests_are_listed_newest_first_with_a_count(client, owner, ask):
    """The owner sees every waiting request, the newest first, and how many are waiting."""
    for name in ("Sam Rivera", "Noor Haddad", "Jonas Berg"):
        ask(name=name, email=name.split()[0].lower() + "@example.com")
    page = text(client.get("/workstation/requests"))
    assert "3 requests are waiting." in page
    assert page.index("Jonas Berg") < page.index("Noor Haddad") < page.index("Sam Rivera")
    assert "3" in texts(page, class_="badge")


def test_answered_requests_leave_the_list(client, owner, ask):
    """Once a request is accepted or declined it no longer waits, and the count goes down."""
    sam, noor, jonas = (ask(name=n, email=f"{n.lower()}@example.com") for n in ("Sam", "Noor", "Jonas"))
    accept(owner, sam)
    decline(owner, noor)
    page = text(client.get("/workstation/requests"))
    assert "1 request is waiting." in page
    assert "jonas@example.com" in page
    assert "sam@example.com" not in page and "noor@example.com" not in page


def test_an_empty_waitlist_says_so(client, owner):
    """With nothing waiting, the page says so and points to the request link."""
    page = text(client.get("/workstation/requests"))
    assert "No requests are waiting." in page and "0 requests are waiting." in page


def test_the_list_shows_only_this_clinics_requests(app, client, owner, ask, other_clinic):
    """Requests to another clinic never appear on this clinic's waitlist."""
    ask(name="Sam Rivera")
    Visitor(app.test_client(), request_path(other_clinic)).send(name="Elin Fjord", email="elin@example.com")
    page = text(client.get("/workstation/requests"))
    assert "Sam Rivera" in page and "Elin Fjord" not in page
    assert "1 request is waiting." in page


def test_a_hub_request_says_which_professional_it_is_for(app, client, owner, ask, hub):
    """A request sent to one hub member names them and the hub, in its row and on its page, since only they
    were emailed; a request to the whole clinic names no one."""
    sam = ask(name="Sam Rivera")
    rowan = Professional.get(Professional.email == "rowan@harbour.example")
    hub_form = Visitor(app.test_client(), hub_path(hub) + f"/p/{rowan.id}/request")
    assert hub_form.send(name="Noor Haddad", email="noor@example.com").status_code == 200
    noor = Request.get(Request.professional == rowan)
    rows = texts(client.get("/workstation/requests"), "tr")
    (noor_row,) = [row for row in rows if "Noor Haddad" in row]
    (sam_row,) = [row for row in rows if "Sam Rivera" in row]
    assert "For: Rowan Ellis, via Northwind Employee Wellbeing" in noor_row
    assert "For:" not in sam_row
    assert "For: Rowan Ellis, via Northwind Employee Wellbeing" in text(client.get(f"/workstation/requests/{noor.id}"))
    assert "For:" not in text(client.get(f"/workstation/requests/{sam.id}"))
    Hub.delete().where(Hub.id == hub.id).execute()
    page = text(client.get(f"/workstation/requests/{noor.id}"))
    assert "For: Rowan Ellis</p>" in page


def test_opening_a_request_shows_every_answer(client, owner, ask, clinic):
    """The request page shows who asked, the service, the message and every answer they gave."""
    set_registration(
        clinic,
        phone="optional",
        date_of_birth="optional",
        address="optional",
        preferred_language="optional",
        reason="optional",
        heard_about="optional",
        emergency_contact="optional",
        national_id="optional",
        terms_consent="optional",
    )
    before = add_question(clinic, "Have you had counselling before?", "yes_no")
    remote = add_question(clinic, "Would online sessions suit you?", "yes_no")
    times = add_question(clinic, "Which times suit you?", "multiple_choice", ["Mornings", "Evenings"])
    gp = add_question(clinic, "Your GP's name", "short_text")
    service = first_service(clinic)
    request = ask(
        service=str(service.id),
        message="Work has been hard lately.",
        phone="020 7946 0018",
        date_of_birth="1990-04-23",
        address="1 Quay Street, Bristol",
        preferred_language="en",
        reason="Trouble sleeping",
        heard_about="A friend",
        emergency_contact="Alex Rivera",
        national_id="QQ123456C",
        terms_consent="y",
        **{
            f"q_{before.id}": "yes",
            f"q_{remote.id}": "no",
            f"q_{times.id}": ["Mornings", "Evenings"],
            f"q_{gp.id}": "Dr Lee",
        },
    )
    response = client.get(f"/workstation/requests/{request.id}")
    page = text(response)
    assert response.status_code == 200
    for shown in (
        "Sam Rivera",
        "sam@example.com",
        service.name,
        "Work has been hard lately.",
        "Phone",
        "020 7946 0018",
        "Date of birth",
        "1990-04-23",
        "Address",
        "1 Quay Street, Bristol",
        "Preferred language",
        "English",
        "Reason for contact",
        "Trouble sleeping",
        "How did you hear about us?",
        "A friend",
        "Emergency contact",
        "Alex Rivera",
        "National or insurance ID",
        "QQ123456C",
        "I agree to the clinic's terms and conditions",
        "Have you had counselling before?",
        "Would online sessions suit you?",
        "Which times suit you?",
        "Mornings, Evenings",
        "Your GP's name",
        "Dr Lee",
        "Waiting",
    ):
        assert shown in page, shown
    # The phone reads as the clinic dials it, and calls the number as stored.
    phone = parse(response).find("a", href="tel:+442079460018")
    assert (phone.text, phone["dir"]) == ("020 7946 0018", "ltr")
    answers = details(page)
    assert answers["Have you had counselling before?"].text == "Yes"
    assert answers["Would online sessions suit you?"].text == "No"
    assert "Accept request" in page and "Decline request" in page


def test_accepting_makes_the_person_a_client_and_books_nothing(client, owner, ask, clinic):
    """Accepting moves the person into Clients and emails them; no session is booked."""
    request = ask()
    response = accept(owner, request)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/workstation/clients/{request.client_id}")
    page = text(client.get(response.headers["Location"]))
    assert "Sam Rivera is now one of your clients. No session is booked yet" in page
    assert "No sessions yet." in page

    request = Request.get_by_id(request.id)
    assert request.status == "accepted" and request.decided_by.email == "owner@harbour.example"
    assert request.decided_at is not None
    assert Client.get_by_id(request.client_id).status == "active"
    assert "Sam Rivera" in text(client.get("/workstation/clients"))
    assert Appointment.select().count() == 0

    [accepted] = outbox("sam@example.com")[1:]
    assert accepted.subject == f"{clinic.name} accepted your request"
    assert "No session is booked yet" in accepted.text_body
    assert accepted.ics is None


def test_phone_numbers_read_as_the_clinic_dials_them(client, owner, ask, clinic):
    """In a clinic in Great Britain a British number reads in national format and a foreign one in
    international format, in the clients list and on the client's page, where it is a link to call; the
    stored E.164 form is never shown as text there, and a stored text that is no number is shown as it is."""
    set_registration(clinic, phone="optional")
    local = ask(name="Sam Rivera", email="sam@example.com", phone="07400 123456")
    abroad = ask(name="Noor Haddad", email="noor@example.com", phone="+1 415 555 2671")
    for request in (local, abroad):
        assert accept(owner, request).status_code == 302
    pages = [
        text(client.get(path))
        for path in (
            "/workstation/clients",
            f"/workstation/clients/{local.client_id}",
            f"/workstation/clients/{abroad.client_id}",
        )
    ]
    clients, sam, noor = pages
    assert "07400 123456" in clients and "+1 415-555-2671" in clients
    for page, number, shown in ((sam, "+447400123456", "07400 123456"), (noor, "+14155552671", "+1 415-555-2671")):
        phone = parse(page).find("a", href="tel:" + number)
        assert (phone.text, phone["dir"]) == (shown, "ltr")
    for page in pages:
        assert "+447400123456" not in parse(page).text and "+14155552671" not in parse(page).text
    Client.update(phone="ask reception").where(Client.id == local.client_id).execute()
    assert "ask reception" in text(client.get("/workstation/clients"))


def test_someone_still_waiting_is_not_among_the_clients(client, owner, ask):
    """Until their request is accepted, a person is not listed as a client."""
    ask()
    assert "Sam Rivera" not in text(client.get("/workstation/clients"))


def test_any_professional_of_the_clinic_can_accept(app, ask, staff):
    """A professional who is not the owner can work through the waitlist too."""
    request = ask()
    assert accept(staff, request).status_code == 302
    assert Request.get_by_id(request.id).decided_by.email == "ben@harbour.example"


def test_declining_with_a_message_sends_it_to_the_person(client, owner, ask, clinic):
    """Declining closes the request and emails the person, with the professional's message in it."""
    request = ask()
    message = "We have no evening availability. The Quay Centre may be able to help."
    response = decline(owner, request, message)
    assert response.status_code == 302 and response.headers["Location"].endswith("/workstation/requests")
    assert "The request from Sam Rivera was declined." in text(client.get(response.headers["Location"]))

    request = Request.get_by_id(request.id)
    assert (request.status, request.decline_message) == ("declined", message)
    assert Client.get_by_id(request.client_id).status == "waitlist"
    [declined] = outbox("sam@example.com")[1:]
    assert declined.subject == f"About your request to {clinic.name}"
    assert message in declined.text_body and message in declined.html_body
    assert message in text(client.get(f"/workstation/requests/{request.id}"))


def test_declining_without_a_message_sends_a_plain_note(owner, ask):
    """The message is optional: without one, the person still hears that the clinic cannot take them."""
    request = ask()
    assert decline(owner, request, "").status_code == 302
    [declined] = outbox("sam@example.com")[1:]
    assert "cannot take your request" in declined.text_body
    assert "Their message to you" not in declined.text_body


def test_a_decline_message_that_is_too_long_is_refused(owner, ask):
    """A decline message over the limit is sent back with an error; the request still waits, nobody is emailed."""
    request = ask()
    emails = len(outbox())
    response = decline(owner, request, "x" * 2001)
    assert response.status_code == 422
    assert "Please use at most 2000 characters" in text(response)
    assert Request.get_by_id(request.id).status == "pending"
    assert len(outbox()) == emails


@pytest.mark.parametrize(
    "first, second", [("accept", "accept"), ("accept", "decline"), ("decline", "accept"), ("decline", "decline")]
)
def test_a_request_is_answered_only_once(client, owner, ask, first, second):
    """Answering a request that was already answered (a second click, a second tab) says so and sends nothing."""
    request = ask()
    answer = {"accept": accept, "decline": decline}
    answer[first](owner, request)
    status = Request.get_by_id(request.id).status
    emails = len(outbox())
    response = answer[second](owner, request, page=SETTINGS_PAGE)
    assert response.status_code == 302
    assert "This request was already answered." in text(client.get(response.headers["Location"]))
    assert Request.get_by_id(request.id).status == status
    assert len(outbox()) == emails


def test_what_a_client_typed_is_shown_as_text_not_run_as_code(client, owner, ask):
    """A name or message containing HTML is shown to the professional as typed, never run in their browser."""
    request = ask(name="<script>alert('name')</script>", message="<img src=x onerror=alert('message')>")
    for path in ("/workstation/requests", f"/workstation/requests/{request.id}"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert(" not in page and "<img src=x" not in page
        assert "&lt;script&gt;" in page

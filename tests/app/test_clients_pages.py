"""The Clients pages: adding a client by hand (the first way in: "you book them directly"), editing,
archiving and searching, each bad input refused with a clear message and nothing changed."""

import pytest
from frontdesk import appointments, clients
from frontdesk.models import Client, Clinic, Professional, Request

from tests.app.booking_fixtures import hours_from_now, make_client, make_session, owner_of, service_of, work_every_day
from tests.app.conftest import text
from tests.conftest import outbox, snapshot

NEW = "/workstation/clients/new"
LIST = "/workstation/clients"
SEARCH = "/workstation/clients/search"


def add(owner, **fields):
    data = {"name": "Alex Morgan", "email": "", "phone": "", "language": "en", "timezone": "Europe/London"}
    data.update(fields)
    return owner.post(NEW, data, page=NEW)


# --- domain --------------------------------------------------------------------------------------


def test_add_client_makes_an_active_client_or_finds_the_one_with_that_email(clinic):
    made, created = clients.add_client(clinic, name="Alex Morgan", email=" Alex@Example.com ", phone="")
    assert created and made.status == "active" and made.email == "alex@example.com"
    found, created = clients.add_client(clinic, name="Someone Else", email="alex@example.com", phone="+447700900123")
    assert not created and found.id == made.id and found.name == "Alex Morgan" and found.phone == ""


def test_phone_only_clients_are_many_and_a_client_needs_one_way_to_reach_them(clinic):
    first, _ = clients.add_client(clinic, name="Pat One", email="", phone="+447700900001")
    second, _ = clients.add_client(clinic, name="Pat Two", email=None, phone="+447700900002")
    assert first.email is None and second.email is None and first.id != second.id
    with pytest.raises(clients.ClientError) as refused:
        clients.add_client(clinic, name="Nobody", email="", phone="")
    assert refused.value.code == clients.NO_CONTACT


def test_update_refuses_another_clients_email_and_archiving_hides_from_search(clinic):
    sam = make_client(clinic, email="sam@example.com", name="Sam Rivera")
    kim = make_client(clinic, email="kim@example.com", name="Kim Lee")
    with pytest.raises(clients.ClientError) as refused:
        clients.update_client(kim, email="SAM@example.com")
    assert refused.value.code == clients.EMAIL_TAKEN
    assert Client.get_by_id(kim.id).email == "kim@example.com"
    clients.set_archived(sam, True)
    assert [c.name for c in clients.search(clinic, "")] == ["Kim Lee"]
    assert [c.name for c in clients.search(clinic, "sam", archived=True)] == ["Sam Rivera"]
    clients.set_archived(sam, False)
    assert [c.name for c in clients.search(clinic, "riv")] == ["Sam Rivera"]


def test_search_finds_by_name_email_or_the_digits_of_a_phone_number(clinic):
    clients.add_client(clinic, name="Noor Haddad", email="noor@example.com", phone="+447700900123")
    clients.add_client(clinic, name="Jonas Berg", email="jonas@berg.example", phone="")
    assert [c.name for c in clients.search(clinic, "NOOR")] == ["Noor Haddad"]
    assert [c.name for c in clients.search(clinic, "berg.example")] == ["Jonas Berg"]
    assert [c.name for c in clients.search(clinic, "07700 900123")] == ["Noor Haddad"]
    assert [c.name for c in clients.search(clinic, "100%")] == []


# --- adding --------------------------------------------------------------------------------------


def test_owner_adds_a_phoned_in_client_and_lands_on_their_page_to_book(clinic, owner):
    response = add(owner, name="Alex Morgan", phone="020 7946 0000")
    assert response.status_code == 302 and response.location.endswith("#book-heading")
    alex = Client.get(Client.name == "Alex Morgan")
    assert alex.phone == "+442079460000" and alex.email is None and alex.status == "active"
    page = text(owner.client.get(response.location))
    assert "Alex Morgan was added" in page and "Book a session" in page and "no email address" in page


def test_an_email_of_a_client_already_there_finds_them_and_says_so(clinic, owner):
    sam = make_client(clinic, email="sam@example.com", name="Sam Rivera")
    before = snapshot()
    response = add(owner, name="Samuel R", email="SAM@example.com")
    assert response.status_code == 302 and f"/clients/{sam.id}" in response.location
    assert "already exists" in text(owner.client.get(response.location))
    assert snapshot() == before


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"email": "", "phone": ""}, "Please give an email address or a phone number."),
        ({"phone": "12"}, "Please enter a valid phone number"),
        ({"email": "not-an-email"}, "Please enter a valid email address"),
        ({"name": "", "email": "a@example.com"}, "Please fill in this field."),
        ({"email": "a@example.com", "timezone": "Mars/Olympus"}, "Not a valid choice"),
        ({"email": "a@example.com", "language": "xx"}, "Not a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_adds_nothing(clinic, owner, fields, message):
    before = snapshot()
    response = add(owner, **fields)
    assert response.status_code == 422 and message in text(response)
    assert snapshot() == before


def test_a_local_number_is_read_in_the_clinics_country(app, clinic, owner):
    Clinic.update(country="IS").where(Clinic.id == clinic.id).execute()
    assert add(owner, name="Sigga", phone="555 1234").status_code == 302
    assert Client.get(Client.name == "Sigga").phone == "+3545551234"


def test_a_stale_form_changes_nothing(clinic, owner):
    before = snapshot()
    response = owner.client.post(NEW, data={"name": "Alex", "email": "a@example.com", "csrf_token": "stale"})
    assert response.status_code == 422 and snapshot() == before


def test_booking_a_phone_only_client_emails_only_the_professional(clinic, owner):
    add(owner, name="Alex Morgan", phone="020 7946 0000")
    alex = Client.get(Client.name == "Alex Morgan")
    professional = owner_of(clinic)
    work_every_day(professional)
    before = len(outbox())
    appointments.book(clinic, professional, alex, service_of(clinic), hours_from_now(96), 50, booked_by=professional)
    assert [m.to_address for m in outbox()[before:]] == ["owner@harbour.example"]


# --- editing and archiving -----------------------------------------------------------------------


def test_edit_saves_details_and_refuses_another_clients_email(clinic, owner):
    make_client(clinic, email="sam@example.com", name="Sam Rivera")
    kim = make_client(clinic, email="kim@example.com", name="Kim Lee")
    page = f"/workstation/clients/{kim.id}/edit"
    form = text(owner.client.get(page))
    # Kim never gave a time zone: the form shows the clinic's, not the list's first, so saving sets no other.
    assert "kim@example.com" in form and '<option selected value="Europe/London">' in form
    fields = {"name": "Kim Lee-Park", "email": "kim@example.com", "phone": "07911 123456", "language": "en"}
    response = owner.post(page, dict(fields, timezone="Europe/Berlin"), page=page)
    assert response.status_code == 302
    kim = Client.get_by_id(kim.id)
    assert (kim.name, kim.phone, kim.timezone) == ("Kim Lee-Park", "+447911123456", "Europe/Berlin")
    before = snapshot()
    for bad, message in [
        ({"email": "sam@example.com"}, "Another client of this clinic has this email address."),
        ({"phone": "0000"}, "Please enter a valid phone number"),
        ({"email": "", "phone": ""}, "Please give an email address or a phone number."),
    ]:
        response = owner.post(page, dict(fields, timezone="Europe/Berlin", **bad), page=page)
        assert response.status_code == 422 and message in text(response)
    assert snapshot() == before


def test_archived_clients_leave_the_list_keep_their_history_and_come_back(clinic, owner):
    sam = make_client(clinic, email="sam@example.com", name="Sam Rivera")
    session = make_session(clinic, 48, channel="direct", client=sam)
    detail = f"/workstation/clients/{sam.id}"
    assert owner.post(f"{detail}/archive", page=detail).status_code == 302
    page = text(owner.client.get(detail))  # also shows (and so clears) the message naming them
    assert "This client is archived" in page and f"/workstation/sessions/{session.id}" in page
    assert "Sam Rivera" not in text(owner.client.get(LIST))
    assert "Sam Rivera" in text(owner.client.get(LIST + "?archived=1"))
    assert owner.post(f"{detail}/unarchive", page=detail).status_code == 302
    assert "Sam Rivera" in text(owner.client.get(LIST))


# --- searching -----------------------------------------------------------------------------------


def test_search_is_posted_so_the_text_never_reaches_a_url(clinic, owner):
    make_client(clinic, email="sam@example.com", name="Sam Rivera")
    make_client(clinic, email="kim@example.com", name="Kim Lee")
    response = owner.post(SEARCH, {"q": "rivera", "page": "1"}, page=LIST)
    page = text(response)
    assert response.status_code == 200 and "Sam Rivera" in page and "Kim Lee" not in page
    assert "rivera" not in response.request.url and "?q=" not in page
    assert "No clients match" in text(owner.post(SEARCH, {"q": "nobody"}, page=LIST))
    assert owner.client.get(SEARCH).status_code == 405


def test_search_pages_through_many_matches(clinic, owner):
    for n in range(52):
        make_client(clinic, email=f"p{n:02d}@example.com", name=f"Pat {n:02d}")
    first = text(owner.post(SEARCH, {"q": "pat", "page": "1"}, page=LIST))
    assert "Pat 49" in first and "Pat 50" not in first and "Next page" in first
    second = text(owner.post(SEARCH, {"q": "pat", "page": "2"}, page=LIST))
    assert "Pat 50" in second and "Pat 51" in second and "Pat 00" not in second


def test_a_professional_lists_their_own_clients_and_the_teams_but_not_a_colleagues(app, clinic, staff):
    """Who is in a professional's list: the clients of their sessions, of requests for them or for the clinic,
    and those added by hand with neither yet; a colleague's session or request keeps its client out."""
    ben = Professional.get(Professional.email == "ben@harbour.example")
    ada = owner_of(clinic)

    def client_with(name, **request_fields):
        made = make_client(clinic, email=f"{name.replace(' ', '.').lower()}@example.com", name=name)
        if request_fields:
            Request.create(clinic=clinic, client=made, status="accepted", **request_fields)
        return made

    make_session(clinic, 24, channel="direct", client=client_with("Own Session"), professional=ben)
    make_session(clinic, 48, channel="direct", client=client_with("Colleague Session"), professional=ada)
    client_with("Own Request", professional=ben)
    client_with("Clinic Request", professional=None)
    client_with("Colleague Request", professional=ada)
    client_with("Hand Added")

    page = text(staff.client.get(LIST))
    for shown in ("Own Session", "Own Request", "Clinic Request", "Hand Added"):
        assert shown in page
    for hidden in ("Colleague Session", "Colleague Request"):
        assert hidden not in page

"""A client's own booking pages (issue 3): one professional's booking link (/b/), a Wellbeing Hub
(/h/) whose members show a calendar or take requests, and the client's dashboard (/c/) with the
"email me a link" form — including every bad input, each refused with nothing half done."""

import datetime as dt
import re
import time
from urllib.parse import urlsplit

import pytest
from babel.dates import format_time
from frontdesk import appointments, availability, clients, form_nonces, links
from frontdesk.models import (
    Appointment,
    Client,
    Clinic,
    DashboardLinkRequest,
    Hub,
    Professional,
    Request,
    UsedFormToken,
    WorkingHours,
)
from itsdangerous import TimestampSigner

from tests.conftest import add_professional, outbox, snapshot
from tests.pages import field, form_token, link, parse

from .booking_fixtures import (
    booking_path,
    dashboard_path,
    hub_path,
    keys,
    local,
    local_start,
    make_client,
    make_session,
    manage_path,
    owner_of,
    service_of,
    slots,
)
from .conftest import next_spring_forward, path_of, text

JUST_TAKEN = "Sorry, that time was just taken. Please choose another."
WHO = {"name": "Noor Haddad", "email": "Noor.Haddad@Example.com"}


def details_path(calendar_path, start, service):
    return f"{calendar_path}/book?service={service.id}&start={start.isoformat()}"


def open_details(client, calendar_path, clinic, pick=0):
    """Open a calendar, choose one of its offered times, and open the details form for it."""
    start = slots(client.get(calendar_path))[pick]
    path = details_path(calendar_path, start, service_of(clinic))
    return start, path, client.get(path)


def book(client, path, page, **fields):
    """Send the details form as its page filled it in, with the visitor's name and email."""
    data = dict(WHO, form_token=form_token(page), start=field(page, "start"))
    data.update(fields)
    return client.post(path, data=data)


# --- The booking link (/b/) ---------------------------------------------------------------------------


def test_the_booking_link_books_a_free_time_for_a_new_client(client, clinic, hub):
    calendar = booking_path(owner_of(clinic))
    offered = client.get(calendar)
    assert offered.status_code == 200 and "Book a session with Ada Byrne" in text(offered)
    assert "Set-Cookie" not in offered.headers and offered.headers["Referrer-Policy"] == "no-referrer"
    start, path, page = open_details(client, calendar, clinic)
    assert page.status_code == 200 and "Confirm your session" in text(page)

    response = book(client, path, page)
    assert response.status_code == 200 and "Your session is booked" in text(response)
    assert 'data-frontdesk-event="booked"' in text(response)
    session = Appointment.get()
    assert (session.starts_at, session.channel, session.hub_id, session.booked_by_id) == (start, "direct", None, None)
    assert session.professional_id == owner_of(clinic).id
    kim = Client.get(Client.email == "noor.haddad@example.com")
    assert (kim.name, kim.status, kim.clinic_id) == ("Noor Haddad", "active", clinic.id)
    assert sorted((m.to_address, m.ics_method) for m in outbox()) == [
        ("noor.haddad@example.com", "REQUEST"),
        ("owner@harbour.example", "REQUEST"),
    ]
    body = outbox("noor.haddad@example.com")[0].text_body
    assert "http://frontdesk.test/m/" in body and "http://frontdesk.test/c/" in body


def test_a_double_submit_of_the_booking_form_books_once(client, clinic, hub):
    _, path, page = open_details(client, booking_path(owner_of(clinic)), clinic)
    assert book(client, path, page).status_code == 200
    after = snapshot()
    again = book(client, path, page)
    assert again.status_code == 200 and "did not make another" in text(again)
    assert snapshot() == after and Appointment.select().count() == 1


def test_a_double_submit_past_the_pages_check_is_told_it_went_through(client, clinic, hub, monkeypatch):
    """The second press arrives while the first commits: the page's look at the form token finds nothing
    yet, and the time, checked before the transaction, is taken by then. It is the same form, so the
    client hears that it went through, not that the time is gone."""
    _, path, page = open_details(client, booking_path(owner_of(clinic)), clinic)
    assert book(client, path, page).status_code == 200
    after = snapshot()
    # The page's own check (appointments keeps its own reference, which still sees the used token).
    monkeypatch.setattr(form_nonces, "was_used", lambda nonce: False)
    again = book(client, path, page)
    assert again.status_code == 200 and "did not make another" in text(again)
    assert snapshot() == after and Appointment.select().count() == 1


def test_a_time_taken_between_page_and_submit_books_nothing(client, clinic, hub):
    start, path, page = open_details(client, booking_path(owner_of(clinic)), clinic)
    appointments.book(
        clinic, owner_of(clinic), make_client(clinic), service_of(clinic), start, 50, booked_by=owner_of(clinic)
    )
    before = snapshot()
    response = book(client, path, page)
    assert response.status_code == 409
    assert JUST_TAKEN in text(response) and "The nearest free times" in text(response)
    # The nearest free times instead of a Book button that cannot work; the taken one is not among them.
    offered = [button["value"] for button in parse(response).find_all("button", name="new_start")]
    assert offered and start.isoformat() not in offered and "Book session" not in text(response)
    assert snapshot() == before

    # Choosing one shows it to confirm, with what was typed kept, and still books nothing.
    chosen = book(client, path, page, new_start=offered[0])
    assert chosen.status_code == 200 and "Book session" in text(chosen)
    assert 'value="Noor Haddad"' in chosen.get_data(as_text=True)
    assert snapshot() == before


def test_a_time_taken_in_the_same_instant_rolls_everything_back(client, clinic, hub, monkeypatch):
    """Two clients press Book at once: the second passes the page's check but loses in the database.
    Its client account and used form token roll back with the refused booking."""
    start, path, page = open_details(client, booking_path(owner_of(clinic)), clinic)
    appointments.book(
        clinic, owner_of(clinic), make_client(clinic), service_of(clinic), start, 50, booked_by=owner_of(clinic)
    )
    monkeypatch.setattr(availability, "is_free_slot", lambda *args, **kwargs: True)
    before = snapshot()
    response = book(client, path, page)
    assert response.status_code == 409 and JUST_TAKEN in text(response)
    assert snapshot() == before and UsedFormToken.select().count() == 0


def test_a_time_that_is_not_free_books_nothing(client, clinic, hub):
    calendar = booking_path(owner_of(clinic))
    page = client.get(calendar + "/book?start=" + local_start(clinic, 3, 10).isoformat())
    path = f"{calendar}/book?service={service_of(clinic).id}"
    before = snapshot()
    for kind, start, status, message in [
        ("outside hours", local_start(clinic, 3, 3).isoformat(), 409, JUST_TAKEN),
        ("off the grid", local_start(clinic, 3, 9, 10).isoformat(), 409, JUST_TAKEN),
        ("in the past", local_start(clinic, -1, 10).isoformat(), 409, "That time has already passed"),
        ("end of time", "9999-12-31T23:30:00", 404, "This page does not exist"),
        ("not a time", "soon", 404, "This page does not exist"),
    ]:
        response = book(client, path, page, start=start)
        assert response.status_code == status and message in text(response), kind
    assert snapshot() == before


def test_a_booking_form_with_a_problem_books_nothing(client, clinic, hub):
    _, path, page = open_details(client, booking_path(owner_of(clinic)), clinic)
    before = snapshot()
    for fields, message in [
        ({"name": ""}, "Please fill in this field."),
        ({"email": "not-an-address"}, "Please enter a valid email address"),
        ({"form_token": "forged"}, "could not be verified"),
        ({"website": "http://spam.example"}, "automatically filled in"),
    ]:
        response = book(client, path, page, **fields)
        assert response.status_code == 422 and message in text(response), fields
    assert snapshot() == before


def test_a_rotated_booking_link_is_replaced_and_a_false_one_not_found(client, clinic, hub):
    Clinic.update(allowed_origins=["https://harbour.example"]).where(Clinic.id == clinic.id).execute()
    old = booking_path(owner_of(clinic))
    start, path, page = open_details(client, old, clinic)
    Professional.update(booking_link_version=2).where(Professional.id == owner_of(clinic).id).execute()
    before = snapshot()
    for response in (client.get(old), client.get(path), book(client, path, page)):
        assert response.status_code == 410 and "This link was replaced" in text(response)
        assert "frame-ancestors 'self' https://harbour.example" in response.headers["Content-Security-Policy"]
    assert client.get(booking_path(owner_of(clinic))).status_code == 200
    token = old.split("/")[2]
    for false in (token[:-3], links.hub_token(keys(), hub), links.booking_token(["another-key"], owner_of(clinic))):
        assert client.get(f"/b/{false}").status_code == 404
    assert snapshot() == before


def test_the_booking_page_of_a_week_with_the_spring_clock_change_shows_nine_every_day(client, clinic):
    """Working 09:00–10:00 every day, a client paging to the week of the last Sunday of March sees
    09:00 on each of the fourteen days: 09:00 GMT before the change and 08:00 UTC after it."""
    owner = owner_of(clinic)
    for weekday in range(7):
        WorkingHours.create(professional=owner, weekday=weekday, opens=dt.time(9), closes=dt.time(10))
    change = next_spring_forward()
    monday = change - dt.timedelta(days=6)
    response = client.get(booking_path(owner) + f"?from={monday.isoformat()}")
    offered = slots(response)
    assert [local(s, clinic).date() for s in offered] == [monday + dt.timedelta(days=n) for n in range(14)]
    assert {local(s, clinic).strftime("%H:%M") for s in offered} == {"09:00"}
    assert [s.hour for s in offered] == [9] * 6 + [8] * 8
    buttons = re.findall(r'class="slot">([^<]+)</button>', response.get_data(as_text=True))
    assert buttons == [format_time(dt.time(9), "short", locale="en")] * 14


def test_the_slot_pages_page_forwards_and_back_within_the_horizon(client, clinic, hub):
    calendar = booking_path(owner_of(clinic))
    first = text(client.get(calendar))
    assert "Later times" in first and "Earlier times" not in first
    later_url = re.search(r'href="([^"]+)">Later times', first).group(1)
    later = text(client.get(later_url))
    assert "Earlier times" in later and "Later times" in later
    far = text(client.get(calendar + "?from=9999-12-31"))
    assert "Later times" not in far and "Earlier times" in far


# --- The Wellbeing Hub page (/h/) -----------------------------------------------------------------------


def test_the_hub_page_lists_its_members_with_what_each_offers(client, clinic, hub):
    response = client.get(hub_path(hub))
    page = text(response)
    assert response.status_code == 200 and "Northwind Employee Wellbeing" in page
    owner, rowan = owner_of(clinic), Professional.get(Professional.email == "rowan@harbour.example")
    assert urlsplit(link(page, "See free times – Ada Byrne")).path.endswith(f"/p/{owner.id}")
    assert urlsplit(link(page, "Send a request – Rowan Ellis")).path.endswith(f"/p/{rowan.id}/request")


def test_a_calendar_member_of_a_hub_is_booked_through_the_hub(client, clinic, hub):
    calendar = hub_path(hub) + f"/p/{owner_of(clinic).id}"
    start, path, page = open_details(client, calendar, clinic)
    assert "Northwind Employee Wellbeing" in text(client.get(calendar))
    assert book(client, path, page).status_code == 200
    session = Appointment.get()
    assert (session.starts_at, session.channel, session.hub_id, session.booked_by_id) == (start, "hub", hub.id, None)
    manage = text(
        client.get(
            path_of(
                re.search(r"(http://frontdesk\.test/m/\S+)", outbox("noor.haddad@example.com")[0].text_body).group(1)
            )
        )
    )
    assert ">Reschedule<" in manage


def test_a_request_only_member_takes_a_request_to_their_own_waitlist(client, clinic, hub):
    rowan = Professional.get(Professional.email == "rowan@harbour.example")
    path = hub_path(hub) + f"/p/{rowan.id}/request"
    page = client.get(path)
    assert page.status_code == 200 and "Request a service" in text(page)
    response = client.post(path, data=dict(WHO, form_token=form_token(page), message="Evenings suit me"))
    assert response.status_code == 200
    request = Request.get()
    assert (request.hub_id, request.professional_id, request.status) == (hub.id, rowan.id, "pending")
    assert Appointment.select().count() == 0
    assert [m.to_address for m in outbox() if "New request" in m.subject] == ["rowan@harbour.example"]


def test_a_hub_member_is_reached_only_the_way_they_chose(client, clinic, hub, other_clinic):
    owner, rowan = owner_of(clinic), Professional.get(Professional.email == "rowan@harbour.example")
    outsider = add_professional(clinic, "zoe@harbour.example", name="Zoe Outsider")
    stranger = owner_of(other_clinic)
    before = snapshot()
    for path in (
        f"/p/{rowan.id}",
        f"/p/{rowan.id}/book",
        f"/p/{owner.id}/request",
        f"/p/{outsider.id}",
        f"/p/{outsider.id}/request",
        f"/p/{stranger.id}",
        "/p/99999",
    ):
        assert client.get(hub_path(hub) + path).status_code == 404, path
    assert client.post(hub_path(hub) + f"/p/{owner.id}/request", data=WHO).status_code == 404
    assert snapshot() == before


def test_a_rotated_hub_link_is_replaced(client, clinic, hub):
    old = hub_path(hub)
    owner, rowan = owner_of(clinic), Professional.get(Professional.email == "rowan@harbour.example")
    request_page = client.get(old + f"/p/{rowan.id}/request")
    Hub.update(link_version=2).where(Hub.id == hub.id).execute()
    before = snapshot()
    for response in (
        client.get(old),
        client.get(old + f"/p/{owner.id}"),
        client.get(old + f"/p/{rowan.id}/request"),
        client.post(old + f"/p/{rowan.id}/request", data=dict(WHO, form_token=form_token(request_page))),
    ):
        assert response.status_code == 410 and "This link was replaced" in text(response)
    assert snapshot() == before
    assert client.get(hub_path(hub)).status_code == 200


# --- The client's dashboard (/c/) ---------------------------------------------------------------------------


def test_the_dashboard_lists_upcoming_and_past_sessions_with_their_actions(client, clinic, other_clinic):
    kim = make_client(clinic)
    hub_session = make_session(clinic, 30, channel="hub", client=kim)
    direct = make_session(clinic, 60, channel="direct", client=kim)
    make_session(clinic, 90, channel="hub", client=kim, status="cancelled")
    make_session(clinic, -0.2, channel="hub", client=kim)  # under way
    make_session(clinic, -48, channel="request", client=kim)
    make_session(clinic, 40, channel="hub", client=make_client(clinic, "noor@example.com", "Noor Haddad"))
    make_session(other_clinic, 40, channel="direct", client=make_client(other_clinic))

    response = client.get(dashboard_path(kim))
    page = text(response)
    assert response.status_code == 200 and "Your sessions, Kim Lee" in page
    assert "Set-Cookie" not in response.headers and response.headers["Cache-Control"] == "no-store"
    upcoming, past = parse(page).find_all("ul", class_="sessions")
    items = upcoming.find_all("li")
    assert [item.classes() for item in items] == [["session-booked"]] * 3 + [["session-cancelled"]]
    actions = [[(path_of(a["href"]), a.shown_text) for a in item.find_all("a")] for item in items]
    assert actions[0] == [], "a session under way can no longer be changed"
    assert actions[1] == [(manage_path(hub_session), "Reschedule or cancel")]
    assert actions[2] == [(manage_path(direct), "Cancel")]
    assert actions[3] == [] and "Cancelled" in items[3].text
    assert len(past.find_all("li")) == 1 and "Noor" not in page and "Fjord" not in page


def old_dashboard_token(client_row, days):
    """A genuine dashboard token signed `days` ago."""
    real = TimestampSigner.get_timestamp
    TimestampSigner.get_timestamp = lambda self: int(time.time()) - days * 86400
    try:
        return links.dashboard_token(keys(), client_row)
    finally:
        TimestampSigner.get_timestamp = real


def test_an_expired_or_replaced_dashboard_link_offers_a_new_one(client, clinic):
    Clinic.update(allowed_origins=["https://harbour.example"]).where(Clinic.id == clinic.id).execute()
    kim = make_client(clinic)
    make_session(clinic, 30, client=kim)
    assert client.get(f"/c/{old_dashboard_token(kim, 29)}").status_code == 200
    expired = client.get(f"/c/{old_dashboard_token(kim, 31)}")
    assert expired.status_code == 410
    assert "This link has expired" in text(expired) and "Email me a link" in text(expired)
    assert "Kim Lee" not in text(expired) and 'action="/c/"' in text(expired)
    assert "frame-ancestors 'self' https://harbour.example" in expired.headers["Content-Security-Policy"], (
        "still the clinic's page: its website may frame it"
    )

    old = dashboard_path(kim)
    Client.update(dashboard_nonce="revoked").where(Client.id == kim.id).execute()
    replaced = client.get(old)
    assert replaced.status_code == 410 and "This link was replaced" in text(replaced)
    assert "Kim Lee" not in text(replaced)
    for false in (old.split("/")[2][:-4], links.manage_token(keys(), Appointment.get())):
        assert client.get(f"/c/{false}").status_code == 404


def ask_for_link(client, email):
    page = client.get("/c/")
    return client.post("/c/", data={"email": email, "form_token": form_token(page)})


def test_asking_for_a_dashboard_link_never_says_whether_the_email_is_known(client, clinic, other_clinic):
    make_client(clinic)
    make_client(other_clinic)
    known = ask_for_link(client, "KIM@Example.com")
    unknown = ask_for_link(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.get_data() == unknown.get_data()
    assert "If we have sessions for that address" in text(known)
    assert outbox() == [], "the page only stores the address: the mail worker looks it up"
    clients.resolve_link_requests()
    mails = outbox()
    assert sorted(m.subject for m in mails) == [
        "Your link to your sessions with Fjord Therapy",
        "Your link to your sessions with Harbour Counselling",
    ]
    assert {m.to_address for m in mails} == {"kim@example.com"}
    harbour = next(m for m in mails if "Harbour" in m.subject)
    link = re.search(r"http://frontdesk\.test(/c/\S+)", harbour.text_body).group(1)
    assert "Your sessions, Kim Lee" in text(client.get(link))


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "kim@example.com", "form_token": "forged"}, "could not be verified"),
    ],
    ids=["bad email", "forged token"],
)
def test_a_bad_dashboard_link_request_sends_nothing(client, clinic, data, message):
    make_client(clinic)
    page = client.get("/c/")
    response = client.post("/c/", data=dict({"form_token": form_token(page)}, **data))
    assert response.status_code == 422 and message in text(response)
    assert outbox() == [] and DashboardLinkRequest.select().count() == 0

"""Issue 12's small holes, each as the attacker or the careless visitor met it: a hub request while requests
are off, bookings in 2099 and 9999, ids beyond any row, a `next=` that would split a header, invisible
characters in names, a CSRF failure sent back to another site, and cancelling a charged no-show."""

import datetime as dt

import pytest
from frontdesk import appointments, booking, charges
from frontdesk.models import Appointment, ChargeDecision, Request, Service
from frontdesk.states import ChargeStatus

from tests.conftest import Auth, outbox, snapshot
from tests.pages import form_token

from .booking_fixtures import hub_path, make_session, owner_of
from .conftest import Visitor, text
from .test_booking import book


def test_a_hub_request_form_is_refused_while_requests_are_off(app, clinic, hub):
    """Like the clinic's own request link, a hub member's request form says requests are off and takes nothing."""
    rowan = hub.members.order_by(-hub.members.model.position).first().professional
    path = hub_path(hub) + f"/p/{rowan.id}/request"
    visitor = Visitor(app.test_client(), path)
    token = form_token(visitor.open())
    clinic.requests_enabled = False
    clinic.save()
    before = snapshot()
    shown = visitor.open()
    assert shown.status_code == 403 and "not taking requests" in text(shown)
    sent = visitor.send(token=token)
    assert sent.status_code == 403 and "not taking requests" in text(sent)
    assert snapshot() == before and Request.select().count() == 0


@pytest.mark.parametrize("day", ["2099-03-02", "9999-12-31"])
def test_a_booking_years_ahead_is_refused(owner, accepted_client, day):
    """A mistyped year books nothing and says why, instead of a session in 2099 or a server error in 9999."""
    before = snapshot()
    response = book(owner, accepted_client, day, "23:30")
    assert response.status_code == 422
    assert "too far ahead" in text(response)
    assert snapshot() == before


def test_a_booking_in_9999_west_of_greenwich_is_refused(owner, accepted_client, clinic):
    """The last evening of 9999 in New York is already year 10000 in UTC."""
    clinic.timezone = "America/New_York"
    clinic.save()
    response = book(owner, accepted_client, "9999-12-31", "22:00")
    assert response.status_code == 422 and "too far ahead" in text(response)


def test_the_rules_refuse_any_session_beyond_two_years():
    now = dt.datetime(2030, 1, 1)
    with pytest.raises(booking.BookingError) as refused:
        booking.session_times(dt.datetime(2099, 1, 1), 50, now)
    assert refused.value.code == booking.BEYOND_HORIZON
    assert booking.session_times(dt.datetime(2031, 6, 1), 50, now)[0] == dt.datetime(2031, 6, 1)


@pytest.mark.parametrize("row_id", [2**63, 2**63 + 5, 10**30])
def test_ids_beyond_any_row_are_not_found(client, owner, clinic, row_id):
    for path in (
        f"/workstation/sessions/{row_id}",
        f"/workstation/clients/{row_id}",
        f"/workstation/requests/{row_id}",
    ):
        assert client.get(path).status_code == 404
    assert owner.post(f"/workstation/charges/{row_id}", {"action": "waive"}).status_code == 404


def test_a_hub_member_id_beyond_any_row_is_not_found(client, clinic, hub):
    assert client.get(hub_path(hub) + f"/p/{2**63}").status_code == 404


@pytest.mark.parametrize(
    "target",
    ["/workstation/clients\r\nSet-Cookie: x=1", "/workstation/\nx", "https://evil.example/", "/\\evil.example"],
)
def test_a_next_address_that_would_split_a_header_or_leave_is_dropped(client, clinic, target):
    auth = Auth(client)
    token = auth.csrf("/workstation/login")
    response = client.post(
        "/workstation/login",
        query_string={"next": target},
        data={"email": "owner@harbour.example", "password": "owner-password", "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/workstation/requests"


def test_a_next_address_inside_the_workstation_is_kept(client, clinic):
    auth = Auth(client)
    token = auth.csrf("/workstation/login")
    response = client.post(
        "/workstation/login",
        query_string={"next": "/workstation/clients?page=2"},
        data={"email": "owner@harbour.example", "password": "owner-password", "csrf_token": token},
    )
    assert response.headers["Location"] == "/workstation/clients?page=2"


@pytest.mark.parametrize(
    "name",
    [
        "Sam \u202eadiR",  # right-to-left override: shows as "Sam Rida"
        "Sam\u2066 Rivera\u2069",  # isolates
        "Sam\u200b Rivera",  # zero-width space
        "\ufeffSam Rivera",  # byte-order mark
        "Sam Rivera\u200d",  # a joiner with no letter after it
    ],
)
def test_names_with_invisible_formatting_are_refused(visitor, name):
    before = snapshot()
    response = visitor.send(name=name)
    assert response.status_code == 422
    assert "Please use only letters, spaces and punctuation in a name." in text(response)
    assert snapshot() == before


def test_a_joiner_inside_a_persian_name_is_kept(visitor):
    """ZWNJ between letters is how Persian writes many names; it is not hiding anything."""
    response = visitor.send(name="\u0645\u062d\u0645\u062f\u200c\u0631\u0636\u0627")
    assert response.status_code == 200
    assert Request.get().client.name == "\u0645\u062d\u0645\u062f\u200c\u0631\u0636\u0627"


def test_a_service_name_with_a_bidi_override_is_refused(owner, clinic):
    before = snapshot()
    response = owner.post(
        "/workstation/settings/services",
        {"name": "Couples \u202etherapy", "duration_minutes": "50"},
        page="/workstation/settings/services",
    )
    assert response.status_code in (200, 422)
    assert "Please use only letters, spaces and punctuation in a name." in text(response)
    assert snapshot() == before
    assert Service.select().where(Service.name.contains("\u202e")).count() == 0


def test_a_failed_csrf_check_never_redirects_to_another_site(owner, clinic):
    """A settings form whose token no longer verifies goes back to our own page, whatever Referer says."""
    before = snapshot()
    response = owner.client.post(
        "/workstation/settings/client-access/requests",
        data={"csrf_token": "stale", "requests_enabled": ""},
        headers={"Referer": "https://evil.example/phish"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]
    assert response.headers["Location"].startswith("/workstation/")
    assert snapshot() == before


def test_a_failed_csrf_check_goes_back_to_the_workstation_page_it_came_from(owner, clinic):
    response = owner.client.post(
        "/workstation/settings/client-access/requests",
        data={"csrf_token": "stale"},
        headers={"Referer": "http://localhost/workstation/settings/client-access#embed"},
    )
    assert response.headers["Location"] == "/workstation/settings/client-access"


def test_a_charged_no_show_cannot_be_cancelled_and_sends_no_email(owner, clinic):
    session = make_session(clinic, -0.2, channel="request")
    appointments.mark_no_show(session, owner_of(clinic))
    decision = ChargeDecision.get(ChargeDecision.appointment == session.id)
    charges.decide(decision, owner_of(clinic), ChargeStatus.CHARGED)
    emails = len(outbox())
    before = snapshot()
    response = owner.post(f"/workstation/sessions/{session.id}/cancel", page=f"/workstation/sessions/{session.id}")
    page = text(owner.client.get(response.headers["Location"]))
    assert "already recorded as a no-show" in page
    assert snapshot() == before and len(outbox()) == emails
    assert Appointment.get_by_id(session.id).status == "booked"
    assert "Cancel session" not in text(owner.client.get(f"/workstation/sessions/{session.id}"))

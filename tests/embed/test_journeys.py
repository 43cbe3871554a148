"""Client journeys that end somewhere useful, through the test client: a confirmation stays a
confirmation in another language, and its switcher cannot be turned into a way in."""

import time
from unittest import mock
from urllib.parse import urlsplit

from frontdesk import appointments, links, urls
from frontdesk.mail.mime import build_message
from frontdesk.models import Clinic, Request
from frontdesk.states import Actor

from tests.app.booking_fixtures import (
    dashboard_path,
    fresh,
    make_session,
    manage_path,
    owner_of,
    service_of,
    slots,
    work_every_day,
)
from tests.app.conftest import text
from tests.conftest import outbox, snapshot
from tests.pages import field, form_token, link, parse

from .test_embedding_settings import path, send

CONFIRMATION = "/confirmation"


def switch(client, page, language):
    """Press the language switcher of a confirmation page."""
    return client.post(CONFIRMATION, data={"shown": field(page, "shown"), "switch_language": language})


def test_switching_language_on_the_request_confirmation_keeps_the_confirmation(client, clinic):
    sent = send(client, path(clinic))
    assert "Thank you, your request was sent" in sent.get_data(as_text=True)
    before = snapshot()
    again = switch(client, sent, "de")
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "Vielen Dank, Ihre Anfrage wurde gesendet" in page
    assert "sam@example.com" in page
    # The website heard about the request once, from the first page, not again now.
    assert "data-frontdesk-event" not in page
    # Switching back works from the new page too, and nothing was sent twice.
    assert "Thank you, your request was sent" in switch(client, again, "en").get_data(as_text=True)
    assert snapshot() == before


def test_switching_language_on_the_booking_confirmation_keeps_the_booking(client, clinic):
    calendar = urlsplit(urls.booking_link(owner_of(Clinic.get_by_id(clinic.id)))).path
    work_every_day(owner_of(clinic))
    start = parse(client.get(calendar)).find("button", name="start")["value"]
    details = client.get(f"{calendar}/book", query_string={"start": start})
    booked = client.post(
        f"{calendar}/book",
        data={"name": "Sam Rivera", "email": "sam@example.com", "form_token": form_token(details), "start": start},
    )
    assert 'data-frontdesk-event="booked"' in booked.get_data(as_text=True)
    page = switch(client, booked, "de").get_data(as_text=True)
    assert "Ihre Sitzung ist gebucht" in page and "Sitzung bestätigen" not in page
    assert "data-frontdesk-event" not in page


def test_a_tampered_or_stale_confirmation_shows_nothing(client, clinic, app):
    token = field(send(client, path(clinic)), "shown")
    request_id = Request.get().id
    assert client.post(CONFIRMATION, data={"shown": token[:-2] + "xx"}).status_code == 404
    assert client.post(CONFIRMATION, data={}).status_code == 404
    # Another kind of signed token (the request link itself) is not a confirmation.
    assert client.post(CONFIRMATION, data={"shown": path(clinic).split("/")[-1]}).status_code == 404
    with mock.patch("time.time", return_value=time.time() - 2 * links.CONFIRMATION_MAX_AGE):
        old = links.confirmation_token(app.config["SECRET_KEYS"], "request", request_id)
    too_old = client.post(CONFIRMATION, data={"shown": old})
    assert too_old.status_code == 410 and "sam@example.com" not in too_old.get_data(as_text=True)


def test_a_tap_on_a_new_time_shows_the_change_and_only_the_confirmation_moves(client, clinic, hub):
    session = make_session(clinic, 10, channel="hub", hub=hub)  # a late change: under 24 hours' notice
    Clinic.update(late_fee_cents=4000, currency="EUR").where(Clinic.id == clinic.id).execute()
    page = client.get(manage_path(session, "/reschedule"))
    start = slots(page)[0].isoformat()
    before = snapshot()
    tap = client.post(manage_path(session, "/reschedule"), data={"form_token": form_token(page), "start": start})
    shown = text(tap)
    assert tap.status_code == 200 and "Move your session?" in shown
    assert "Current time" in shown and "New time" in shown
    assert "This is a late change." in shown and "€40.00" in shown and "late cancellation" not in shown
    assert snapshot() == before

    done = client.post(
        manage_path(session, "/reschedule"), data={"form_token": form_token(tap), "start": start, "confirm": "1"}
    )
    assert "Your session was rescheduled" in text(done)
    assert fresh(session).status == "cancelled"


def test_after_cancelling_a_session_not_from_a_hub_the_client_may_ask_again(client, clinic):
    session = make_session(clinic, 72, channel="request")
    page = client.get(manage_path(session, "/cancel"))
    done = client.post(manage_path(session, "/cancel"), data={"form_token": form_token(page)})
    assert "Your session is cancelled" in text(done)
    again = link(done, "Ask for a new session")
    assert client.get(again).status_code == 200 and "Request a service" in text(client.get(again))

    # A clinic that takes no requests offers the professional's calendar instead.
    Clinic.update(requests_enabled=False).where(Clinic.id == clinic.id).execute()
    other = make_session(clinic, 96, channel="direct")
    page = client.get(manage_path(other, "/cancel"))
    done = client.post(manage_path(other, "/cancel"), data={"form_token": form_token(page)})
    assert "Book a session with" in text(client.get(link(done, "Book a new session")))


def test_a_hub_session_cancelled_offers_no_other_way_back(client, clinic, hub):
    session = make_session(clinic, 72, channel="hub", hub=hub)
    page = client.get(manage_path(session, "/cancel"))
    done = client.post(manage_path(session, "/cancel"), data={"form_token": form_token(page)})
    assert "Ask for a new session" not in text(done) and "Book a new session" not in text(done)


def test_the_manage_page_warns_of_the_terms_when_the_policy_is_longer_than_a_day(client, clinic):
    Clinic.update(policy_hours=48).where(Clinic.id == clinic.id).execute()
    session = make_session(clinic, 120, channel="request")
    assert "a modification penalty may apply" in text(client.get(manage_path(session)))
    Clinic.update(policy_hours=24).where(Clinic.id == clinic.id).execute()
    assert "a modification penalty may apply" not in text(client.get(manage_path(session)))


def test_a_client_may_say_why_they_cancel_and_the_professional_reads_it(client, clinic, owner):
    session = make_session(clinic, 72, channel="request")
    page = client.get(manage_path(session, "/cancel"))
    assert "Would you like to tell us why? (optional)" in text(page)
    reason = "Mi hijo está enfermo – lo siento"
    done = client.post(manage_path(session, "/cancel"), data={"form_token": form_token(page), "note": reason})
    assert "Your session is cancelled" in text(done)
    assert fresh(session).client_note == reason
    assert reason in text(client.get(f"/workstation/sessions/{session.id}"))


def test_a_waiting_request_shows_on_the_dashboard_and_can_be_withdrawn_once(client, clinic):
    send(client, path(clinic))
    waiting = Request.get()
    dashboard = dashboard_path(waiting.client)
    page = client.get(dashboard)
    assert "Waiting requests" in text(page) and "On the waitlist: nothing is booked yet." in text(page)
    withdraw = f"{dashboard}/requests/{waiting.id}/withdraw"
    done = client.post(withdraw, data={"form_token": form_token(page)})
    assert done.status_code == 200 and "Your request was withdrawn" in text(done)
    assert fresh(waiting).status == "withdrawn" and "Waiting requests" not in text(done)
    before = snapshot()
    again = client.post(withdraw, data={"form_token": form_token(page)})
    assert again.status_code == 409 and snapshot() == before


def test_a_client_cannot_withdraw_another_clients_request(client, clinic):
    send(client, path(clinic))
    send(client, path(clinic), name="Kim Lee", email="kim@example.com")
    sam, kim = Request.select().order_by(Request.id)
    page = client.get(dashboard_path(sam.client))
    before = snapshot()
    response = client.post(
        f"{dashboard_path(sam.client)}/requests/{kim.id}/withdraw", data={"form_token": form_token(page)}
    )
    assert response.status_code == 404 and snapshot() == before
    # Without a genuine form token nothing is withdrawn either.
    assert client.post(f"{dashboard_path(sam.client)}/requests/{sam.id}/withdraw").status_code == 422
    assert snapshot() == before


def test_the_confirmation_email_states_the_late_terms_and_answers_go_to_the_clinic(client, clinic):
    Clinic.update(policy_hours=48, late_fee_cents=4000, currency="EUR").where(Clinic.id == clinic.id).execute()
    session = make_session(clinic, 120, channel="request")
    appointments.cancel(fresh(session), Actor.PROFESSIONAL, professional=owner_of(clinic))
    rebooked = appointments.book(
        Clinic.get_by_id(clinic.id),
        owner_of(clinic),
        fresh(session).client,
        service_of(clinic),
        fresh(session).starts_at,
        50,
        booked_by=owner_of(clinic),
    )
    sent = next(m for m in outbox(rebooked.client.email) if "is booked" in m.subject)
    assert "the late fee of €40.00" in sent.text_body and "48 hours" in sent.text_body
    assert "a modification penalty may apply" in sent.text_body
    assert sent.reply_to == "owner@harbour.example"
    assert build_message(sent, "Harbour Counselling <desk@frontdesk.test>")["Reply-To"] == "owner@harbour.example"
    # The professional's own copy needs no Reply-To to the clinic.
    assert all(m.reply_to == "" for m in outbox("owner@harbour.example"))


def test_switching_language_on_move_your_session_keeps_the_old_and_new_time(client, clinic, hub):
    """The switcher of "Move your session?" posts the step's own form (its signed form token and the time,
    nothing personal) without the confirm button: the same step comes back in the new language, and
    nothing moves until "Yes, move the session"."""
    session = make_session(clinic, 72, channel="hub", hub=hub)
    page = client.get(manage_path(session, "/reschedule"))
    start = slots(page)[0].isoformat()
    tap = client.post(manage_path(session, "/reschedule"), data={"form_token": form_token(page), "start": start})
    assert "Move your session?" in text(tap)
    # The switcher is a button of the step's own form, not a link back to the times.
    switcher = parse(tap).find("button", name="switch_language", value="de")
    assert switcher is not None and parse(tap).find("form", id=switcher["form"]).find("input", name="start")
    before = snapshot()
    switched = client.post(
        manage_path(session, "/reschedule"),
        data={"form_token": form_token(tap), "start": start, "switch_language": "de"},
    )
    shown = text(switched)
    assert switched.status_code == 200 and "Sitzung verschieben?" in shown and "Neuen Termin wählen" not in shown
    assert field(switched, "start") == start and "kim@example.com" not in urlsplit(switched.request.url).query
    assert snapshot() == before

    # A switch with a tampered token shows the times again and changes nothing either.
    tampered = client.post(
        manage_path(session, "/reschedule"), data={"form_token": "x", "start": start, "switch_language": "de"}
    )
    assert tampered.status_code == 409 and snapshot() == before

    done = client.post(
        manage_path(session, "/reschedule"), data={"form_token": form_token(switched), "start": start, "confirm": "1"}
    )
    assert done.status_code == 200 and fresh(session).status == "cancelled"

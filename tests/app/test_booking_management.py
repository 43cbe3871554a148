"""Managing one session from the link in its emails (/m/): what the page shows, cancelling with the
late-notice and penalty warnings, rescheduling a hub session, and every bad input of issue 3 — each
refused with a clear page and nothing half done."""

import datetime as dt

import pytest
from babel.dates import format_date, format_time
from frontdesk import appointments, availability, links, waitlist
from frontdesk.client import guard
from frontdesk.models import Appointment, ChargeDecision, Clinic, Service, TimeOff, new_nonce
from frontdesk.states import Actor

from tests.conftest import outbox, snapshot
from tests.pages import form_token, link

from .booking_fixtures import (
    fresh,
    keys,
    local,
    local_start,
    make_client,
    make_session,
    manage_path,
    manage_token,
    owner_of,
    slots,
    someone_else_books,
)
from .conftest import text

PENALTY = "Please be aware that a modification penalty may apply depending on the professional's Terms & Conditions."
LATE = "This is a late cancellation."
NOT_HUB = "only sessions booked through a Wellbeing Hub can be rescheduled"
JUST_TAKEN = "Sorry, that time was just taken. Please choose another."


def post_form(client, appointment, action, token=None, **data):
    """POST one of a manage link's forms with a form token issued for that link, as its page would."""
    link = manage_token(appointment) if token is None else token
    if action == "reschedule":
        data.setdefault("confirm", "1")  # the move's one confirmation, after the tap on a time
    return client.post(f"/m/{link}/{action}", data=dict(form_token=guard.issue(link), **data))


def when(appointment, clinic):
    """The session's time as the client's pages write it: the full date and the time without seconds."""
    moment = local(appointment.starts_at, clinic)
    return f"{format_date(moment, 'full', locale='en')}, {format_time(moment, 'short', locale='en')}"


# --- What the manage page shows ---------------------------------------------------------------------


def test_the_manage_page_shows_who_what_and_when_but_never_the_clients_answers(client, clinic):
    """The page names the professional, service and time, offers Cancel (not Reschedule, and says why)
    and shows nothing the client wrote in their request; it sets no cookie and leaks no referrer."""
    request = waitlist.submit_request(
        clinic,
        new_nonce(),
        "Kim Lee",
        "kim@example.com",
        "en",
        message="My marriage is falling apart",
        answers=[{"key": "reason", "value": "Panic attacks at night"}],
    )
    session = make_session(clinic, 72, channel="request", client=request.client)
    response = client.get(manage_path(session))
    page = text(response)
    assert response.status_code == 200
    assert "Ada Byrne" in page and "Initial consultation" in page and when(session, clinic) in page
    assert "marriage" not in page and "Panic attacks" not in page and "kim@example.com" not in page
    assert "Cancel session" in page and ">Reschedule<" not in page and NOT_HUB in page
    assert "Set-Cookie" not in response.headers
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_hub_session_offers_reschedule_and_cancel(client, clinic):
    page = text(client.get(manage_path(make_session(clinic, 72, channel="hub"))))
    assert ">Reschedule<" in page and "Cancel session" in page and NOT_HUB not in page


# --- Notice and penalty warnings before the client confirms -------------------------------------------


@pytest.mark.parametrize(
    "channel, policy_hours, hours_ahead, late, warned",
    [
        ("hub", 24, 5, True, False),  # a hub session inside 24 h: late
        ("hub", 24, 30, False, False),
        ("hub", 48, 30, False, False),  # hubs always use 24 h, whatever the clinic's policy
        ("direct", 48, 30, True, True),  # a clinic policy over 24 h warns, and 30 h is inside it
        ("direct", 48, 72, False, True),
        ("request", 24, 5, True, False),
        ("request", 24, 30, False, False),
    ],
)
def test_the_cancel_page_warns_before_the_client_confirms(
    client, clinic, channel, policy_hours, hours_ahead, late, warned
):
    Clinic.update(policy_hours=policy_hours).where(Clinic.id == clinic.id).execute()
    session = make_session(clinic, hours_ahead, channel=channel)
    before = snapshot()
    response = client.get(manage_path(session, "/cancel"))
    page = text(response)
    assert response.status_code == 200 and "Yes, cancel the session" in page
    assert (LATE in page) is late
    assert (PENALTY in page) is warned
    if warned:
        assert link(page, "Read the Terms & Conditions") == "https://harbour.example/terms"
    else:
        assert "Terms &amp; Conditions" not in response.get_data(as_text=True)
    assert snapshot() == before, "showing the page changes nothing"


def test_the_reschedule_page_of_a_late_hub_session_says_it_is_late(client, clinic, hub):
    page = text(client.get(manage_path(make_session(clinic, 5, channel="hub", hub=hub), "/reschedule")))
    assert "This is a late change." in page and LATE not in page
    assert "less than 24 hours" in page and PENALTY not in page


# --- Cancelling -------------------------------------------------------------------------------------


@pytest.mark.parametrize("service_fee, expected", [(6000, 6000), (None, 4000)], ids=["service fee", "clinic default"])
def test_a_late_cancellation_opens_a_charge_decision(client, clinic, service_fee, expected):
    """A hub session cancelled inside 24 h: cancelled by the client, recorded as late with its notice,
    both sides emailed a calendar cancellation, and a charge decision opened for the fee in the
    clinic's currency."""
    Clinic.update(late_fee_cents=4000, currency="EUR").where(Clinic.id == clinic.id).execute()
    Service.update(late_fee_cents=service_fee).where(Service.clinic == clinic).execute()
    session = make_session(clinic, 5, channel="hub")
    response = post_form(client, session, "cancel")
    page = text(response)
    assert response.status_code == 200
    assert "Your session is cancelled" in page and "late cancellation" in page
    assert 'data-frontdesk-event="cancelled"' in page

    cancelled = fresh(session)
    assert (cancelled.status, cancelled.cancelled_by, cancelled.late) == ("cancelled", "client", True)
    assert 4 * 60 <= cancelled.notice_minutes <= 5 * 60
    decision = ChargeDecision.get()
    assert (decision.appointment_id, decision.reason, decision.status) == (session.id, "late_cancellation", "open")
    assert (decision.amount_cents, decision.currency) == (expected, "EUR")
    assert sorted((m.to_address, m.ics_method) for m in outbox()) == [
        ("kim@example.com", "CANCEL"),
        ("owner@harbour.example", "CANCEL"),
    ]
    assert "late cancellation" in outbox("owner@harbour.example")[0].text_body


def test_a_cancellation_with_enough_notice_opens_no_charge_decision(client, clinic):
    session = make_session(clinic, 30, channel="hub")
    response = post_form(client, session, "cancel")
    assert response.status_code == 200 and "late cancellation" not in text(response)
    assert (fresh(session).status, fresh(session).late) == ("cancelled", False)
    assert ChargeDecision.select().count() == 0
    assert len(outbox()) == 2


def test_a_cancel_form_without_a_valid_form_token_changes_nothing(client, clinic):
    session = make_session(clinic, 30)
    other = make_session(clinic, 60)
    before = snapshot()
    for data in ({}, {"form_token": "garbage"}, {"form_token": guard.issue(manage_token(other))}):
        response = client.post(manage_path(session, "/cancel"), data=data)
        assert response.status_code == 422
        assert "could not be verified" in text(response)
    assert snapshot() == before


# --- Used, changed, expired and false links ------------------------------------------------------------


def test_a_used_manage_link_shows_the_current_state_and_acts_no_more(client, clinic, hub):
    session = make_session(clinic, 30, channel="hub", hub=hub)
    old = manage_token(session)
    cancel_page = client.get(f"/m/{old}/cancel")
    assert post_form(client, session, "cancel", token=old).status_code == 200

    page = text(client.get(f"/m/{old}"))
    assert "This session was cancelled." in page
    assert "Cancel session" not in page and ">Reschedule<" not in page
    # The same confirmation sent again (a double submit), a new one, and a reschedule: nothing more.
    again = client.post(f"/m/{old}/cancel", data={"form_token": form_token(cancel_page)})
    assert again.status_code == 409 and "already cancelled or rescheduled" in text(again)
    assert post_form(client, session, "cancel", token=old).status_code == 409
    start = slots(client.get(manage_path(make_session(clinic, 50, channel="hub", hub=hub), "/reschedule")))[0]
    after = snapshot()
    assert post_form(client, session, "reschedule", token=old, start=start.isoformat()).status_code == 403
    assert snapshot() == after


def test_a_link_from_before_a_reschedule_shows_where_the_session_moved(client, clinic):
    session = make_session(clinic, 30, channel="hub")
    old = manage_token(session)
    _, moved = appointments.reschedule(
        session, session.starts_at + dt.timedelta(days=1), Actor.PROFESSIONAL, professional=owner_of(clinic)
    )
    before = snapshot()
    page = text(client.get(f"/m/{old}"))
    assert "This session was rescheduled. New time:" in page and when(moved, clinic) in page
    # It hands out no link to the new session (issue 12): the email about the new time carries that one.
    assert manage_path(moved) not in page and "Cancel session" not in page
    assert post_form(client, session, "cancel", token=old).status_code == 409
    assert snapshot() == before and fresh(moved).status == "booked"


def test_a_session_that_has_ended_shows_so_and_offers_nothing(client, clinic):
    """A manage link lives until its session ends: then it shows the session and no actions."""
    session = make_session(clinic, -3, channel="hub")
    page = text(client.get(manage_path(session)))
    assert "already started or ended" in page
    assert "Cancel session" not in page and ">Reschedule<" not in page


def bad_tokens(clinic):
    session = make_session(clinic, 30, channel="hub")
    good = manage_token(session)
    payload, signature = good.rsplit(".", 1)
    return session, {
        "tampered": payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:],
        "truncated": good[:-6],
        "another session's id": links.manage_token(keys(), Appointment(id=session.id + 1, manage_nonce="x")).rsplit(
            ".", 1
        )[0]
        + "."
        + signature,
        "unknown key": links.manage_token(["someone-elses-key"], session),
        "booking link": links.booking_token(keys(), owner_of(clinic)),
        "missing session": links.manage_token(keys(), Appointment(id=999, manage_nonce="x")),
    }


def test_a_false_manage_link_gets_a_clear_page_and_changes_nothing(client, clinic):
    session, tokens = bad_tokens(clinic)
    before = snapshot()
    for kind, token in tokens.items():
        for response in (
            client.get(f"/m/{token}"),
            client.get(f"/m/{token}/cancel"),
            client.post(f"/m/{token}/cancel", data={"form_token": guard.issue(token)}),
            client.post(
                f"/m/{token}/reschedule",
                data={"form_token": guard.issue(token), "start": session.starts_at.isoformat()},
            ),
        ):
            assert response.status_code == 404, kind
            assert "This page does not exist" in text(response) and "Kim Lee" not in text(response), kind
    assert snapshot() == before


# --- Sessions the client can no longer change ------------------------------------------------------------


@pytest.mark.parametrize(
    "moment, message",
    [
        ("started", "already started or ended"),
        ("ended", "already started or ended"),
        ("cancelled", "This session was cancelled."),
    ],
)
def test_a_started_ended_or_cancelled_session_cannot_be_changed_by_the_client(client, clinic, hub, moment, message):
    hours = {"started": -0.25, "ended": -3, "cancelled": 30}[moment]
    session = make_session(clinic, hours, channel="hub", hub=hub)
    if moment == "cancelled":
        Appointment.update(status="cancelled", cancelled_by="professional").where(
            Appointment.id == session.id
        ).execute()
    free = slots(client.get(manage_path(make_session(clinic, 60, channel="hub", hub=hub), "/reschedule")))[0]
    before = snapshot()

    for page in (client.get(manage_path(session)), client.get(manage_path(session, "/cancel"))):
        assert message in text(page)
        assert "Cancel session" not in text(page) and "Yes, cancel" not in text(page)
    cancel = post_form(client, session, "cancel")
    assert cancel.status_code == 409 and message in text(cancel)
    reschedule = post_form(client, session, "reschedule", start=free.isoformat())
    assert reschedule.status_code == 403 and message in text(reschedule)
    assert snapshot() == before


# --- Rescheduling ------------------------------------------------------------------------------------------


def test_a_client_reschedules_a_hub_session(client, clinic, hub):
    """The slot picker offers free times; choosing one moves the session in one go: the old one is
    cancelled and linked to the new, four emails go out, and the old link now points at the new session."""
    session = make_session(clinic, 50, channel="hub", hub=hub)
    old = manage_token(session)
    page = client.get(f"/m/{old}/reschedule")
    offered = slots(page)
    assert page.status_code == 200 and offered
    assert all(local(s, clinic).time() >= dt.time(9) for s in offered)
    start = offered[-1]
    response = client.post(
        f"/m/{old}/reschedule", data={"form_token": form_token(page), "start": start.isoformat(), "confirm": "1"}
    )
    assert response.status_code == 200
    assert "Your session was rescheduled" in text(response)
    assert when(session, clinic) in text(response) and 'data-frontdesk-event="rescheduled"' in text(response)

    moved = Appointment.get(Appointment.starts_at == start)
    assert (moved.status, moved.channel, moved.hub_id, moved.booked_by_id) == ("booked", "hub", hub.id, None)
    old_row = fresh(session)
    assert (old_row.status, old_row.cancel_reason, old_row.rescheduled_to_id) == ("cancelled", "rescheduled", moved.id)
    assert sorted((m.to_address, m.ics_method) for m in outbox()) == [
        ("kim@example.com", "CANCEL"),
        ("kim@example.com", "REQUEST"),
        ("owner@harbour.example", "CANCEL"),
        ("owner@harbour.example", "REQUEST"),
    ]
    assert ChargeDecision.select().count() == 0
    assert "This session was rescheduled. New time:" in text(client.get(f"/m/{old}"))
    # The same form sent twice: the first move stands and nothing else happens.
    after = snapshot()
    again = client.post(
        f"/m/{old}/reschedule", data={"form_token": form_token(page), "start": offered[0].isoformat(), "confirm": "1"}
    )
    assert again.status_code == 403 and snapshot() == after


def test_the_reschedule_page_does_not_offer_the_sessions_own_time(client, clinic, hub):
    session = make_session(clinic, 1, channel="hub", hub=hub)
    own = local_start(clinic, 3, 9)
    Appointment.update(starts_at=own, ends_at=own + dt.timedelta(minutes=50)).where(
        Appointment.id == session.id
    ).execute()
    offered = slots(client.get(manage_path(session, "/reschedule")))
    assert own not in offered and own + dt.timedelta(hours=1) in offered  # the next start on the grid
    before = snapshot()
    assert post_form(client, session, "reschedule", start=own.isoformat()).status_code == 409
    assert snapshot() == before


def test_a_session_cancelled_while_its_move_is_sent_stays_cancelled(client, clinic, hub, monkeypatch):
    """The client cancels in one tab while moving in another: the move finds the session cancelled, says
    so, and books nothing."""
    session = make_session(clinic, 50, channel="hub", hub=hub)
    page = client.get(manage_path(session, "/reschedule"))
    real = availability.is_free_slot

    def cancelled_meanwhile(*args, **kwargs):
        appointments.cancel(fresh(session), Actor.CLIENT)
        return real(*args, **kwargs)

    monkeypatch.setattr(availability, "is_free_slot", cancelled_meanwhile)
    response = client.post(
        manage_path(session, "/reschedule"),
        data={"form_token": form_token(page), "start": slots(page)[0].isoformat(), "confirm": "1"},
    )
    assert response.status_code == 409
    assert "already cancelled or rescheduled" in text(response) and "This session was cancelled." in text(response)
    assert slots(response) == []
    assert [(a.status, a.rescheduled_to_id) for a in Appointment.select()] == [("cancelled", None)]
    assert sorted(m.ics_method for m in outbox()) == ["CANCEL", "CANCEL"]


def test_a_late_reschedule_of_a_hub_session_opens_a_charge_decision(client, clinic, hub):
    """Moving a hub session inside 24 h is a late change, as the reschedule page warned: the professional
    gets a charge decision for it, listed as a late change, never as a cancellation."""
    session = make_session(clinic, 5, channel="hub", hub=hub)
    start = slots(client.get(manage_path(session, "/reschedule")))[-1]
    assert post_form(client, session, "reschedule", start=start.isoformat()).status_code == 200
    assert fresh(session).late is True
    decision = ChargeDecision.get()
    assert (decision.appointment_id, decision.reason) == (session.id, "late_change")


@pytest.mark.parametrize("channel", ["direct", "request"])
def test_a_non_hub_session_cannot_be_rescheduled_even_by_a_direct_post(client, clinic, hub, channel):
    session = make_session(clinic, 50, channel=channel)
    free = slots(client.get(manage_path(make_session(clinic, 60, channel="hub", hub=hub), "/reschedule")))[0]
    before = snapshot()
    page = client.get(manage_path(session, "/reschedule"))
    assert page.status_code == 403 and NOT_HUB in text(page)
    response = post_form(client, session, "reschedule", start=free.isoformat())
    assert response.status_code == 403 and NOT_HUB in text(response)
    assert snapshot() == before


def test_a_slot_taken_between_page_and_submit_changes_nothing(client, clinic, hub):
    session = make_session(clinic, 50, channel="hub", hub=hub)
    page = client.get(manage_path(session, "/reschedule"))
    start = slots(page)[0]
    someone_else_books(clinic, start)
    before = snapshot()
    response = client.post(
        manage_path(session, "/reschedule"),
        data={"form_token": form_token(page), "start": start.isoformat(), "confirm": "1"},
    )
    assert response.status_code == 409
    assert JUST_TAKEN in text(response)
    assert start not in slots(response), "the page offers the times still free"
    assert snapshot() == before


def test_a_time_that_is_not_free_is_refused(client, clinic, hub):
    session = make_session(clinic, 50, channel="hub", hub=hub)
    before = snapshot()
    for kind, start, message in [
        ("outside hours", local_start(clinic, 3, 3).isoformat(), JUST_TAKEN),
        ("off the grid", local_start(clinic, 3, 9, 10).isoformat(), JUST_TAKEN),
        ("in the past", local_start(clinic, -2, 10).isoformat(), "That time has already passed"),
        ("with an offset, in the past", "2020-01-01T10:00:00+05:00", "That time has already passed"),
        ("end of time", "9999-12-31T23:59:00", "Please choose a time."),
        ("not a time", "next tuesday", "Please choose a time."),
        ("missing", "", "Please choose a time."),
    ]:
        response = post_form(client, session, "reschedule", start=start)
        assert response.status_code == 409 and message in text(response), kind
    assert snapshot() == before


def test_time_off_and_other_sessions_are_not_offered(client, clinic, hub):
    session = make_session(clinic, 50, channel="hub", hub=hub)
    offered = slots(client.get(manage_path(session, "/reschedule")))
    first_day = local(offered[0], clinic).date()
    TimeOff.create(professional=owner_of(clinic), first_day=first_day, last_day=first_day)
    Appointment.create(
        clinic=clinic,
        professional=owner_of(clinic),
        client=make_client(clinic, "noor@example.com"),
        starts_at=offered[-1],
        ends_at=offered[-1] + dt.timedelta(minutes=50),
    )
    now_offered = slots(client.get(manage_path(session, "/reschedule")))
    assert not any(local(s, clinic).date() == first_day for s in now_offered)
    assert offered[-1] not in now_offered

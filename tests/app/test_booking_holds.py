"""A self-booked session held until the client confirms it from the email (issue 12), through the app on both
databases: where the clinic asks, a booking from the booking or hub calendar only holds its slot for the clinic's
minutes; the confirm link (a link of its own kind, ids only) makes it a normal session and only then tells the
professional; a hold nobody confirms frees its slot at once, even with no mail worker running, and the worker
releases it and tells the client exactly once. Tampered, expired and replayed links change nothing."""

import datetime as dt
import re

import pytest
from frontdesk import appointments, links
from frontdesk.client import holds
from frontdesk.models import Appointment, ChargeDecision, Clinic, utcnow

from tests.conftest import outbox, snapshot
from tests.pages import form_token

from .booking_fixtures import booking_path, hub_path, owner_of
from .conftest import path_of, text
from .test_booking_management_pages import WHO, book, open_details, slots

CLIENT = WHO["email"].lower()
OWNER = "owner@harbour.example"


@pytest.fixture
def holding_clinic(clinic):
    """The clinic asks self-booked sessions to be confirmed from the email within 30 minutes."""
    Clinic.update(confirm_self_bookings=True, hold_minutes=30).where(Clinic.id == clinic.id).execute()
    return Clinic.get_by_id(clinic.id)


def book_here(client, calendar, clinic, pick=0, **who):
    start, path, page = open_details(client, calendar, clinic, pick=pick)
    return start, book(client, path, page, **who)


def confirm_path(to=CLIENT):
    """The confirm link of the last email to `to`, as a path."""
    return re.search(r"http://frontdesk\.test(/confirm/\S+)", outbox(to)[-1].text_body).group(1)


def press_confirm(client, path, token=None):
    """Press Confirm on the link's page: opened now, or (`token`) opened earlier."""
    return client.post(path, data={"form_token": token or form_token(client.get(path))})


def lapse(session, minutes_ago=1):
    """Time passes: the hold's end is behind us (the worker has not run)."""
    Appointment.update(hold_until=utcnow() - dt.timedelta(minutes=minutes_ago)).where(
        Appointment.id == session.id
    ).execute()


def test_a_self_booking_is_only_held_and_only_the_client_hears_of_it(client, holding_clinic, hub):
    before = utcnow()
    start, response = book_here(client, booking_path(owner_of(holding_clinic)), holding_clinic)
    page = text(response)
    assert response.status_code == 200 and "Please confirm your session" in page
    assert "Open the link in it and confirm by" in page and "Your session is booked" not in page
    assert "data-frontdesk-event" not in response.get_data(as_text=True), "a website hears of a hold once confirmed"
    session = Appointment.get()
    assert (session.status, session.starts_at) == ("held", start)
    assert before + dt.timedelta(minutes=30) <= session.hold_until <= utcnow() + dt.timedelta(minutes=30)
    assert outbox(OWNER) == [], "the professional hears of it once it is confirmed"
    [email] = outbox(CLIENT)
    assert "Please confirm your session" in email.subject and email.ics is None
    assert "Noor" not in confirm_path() and "example" not in confirm_path().lower(), "ids only in the link"
    assert start not in [s for s in slots(client.get(booking_path(owner_of(holding_clinic))))], "the slot is held"


def test_confirming_in_time_makes_a_normal_session_and_tells_the_professional_once(client, holding_clinic, hub):
    book_here(client, hub_path(hub) + f"/p/{owner_of(holding_clinic).id}", holding_clinic)
    path = confirm_path()
    shown = client.get(path)
    assert shown.status_code == 200 and "Confirm your session" in text(shown)
    assert Appointment.get().status == "held", "opening the link (a mail scanner, say) confirms nothing"
    assert shown.headers["Referrer-Policy"] == "no-referrer" and "Set-Cookie" not in shown.headers

    posted = {"form_token": form_token(shown)}
    confirmed = client.post(path, data=posted)
    assert confirmed.status_code == 200 and "Your session is confirmed" in text(confirmed)
    told = f'data-frontdesk-event="booked" data-frontdesk-id="{Appointment.get().id}"'
    assert told in confirmed.get_data(as_text=True), "a website showing the confirm page hears of the booking"
    session = Appointment.get()
    assert (session.status, session.channel) == ("booked", "hub")
    [to_owner] = outbox(OWNER)
    assert to_owner.subject == "A session was booked" and "METHOD:REQUEST" in to_owner.ics
    assert "METHOD:REQUEST" in outbox(CLIENT)[-1].ics and "/m/" in outbox(CLIENT)[-1].text_body

    before, emails = snapshot(), len(outbox())
    for again in (client.post(path, data=posted), client.get(path)):  # the same press replayed; the link again
        assert again.status_code == 200 and "It was confirmed already" in text(again)
        assert "data-frontdesk-event" not in again.get_data(as_text=True), "the website heard it once"
    assert len(outbox()) == emails
    assert snapshot()["Appointment"] == before["Appointment"]


def test_a_lapsed_hold_frees_its_slot_for_another_client_before_any_worker_runs(app, client, holding_clinic, hub):
    calendar = booking_path(owner_of(holding_clinic))
    start, _ = book_here(client, calendar, holding_clinic)
    held = Appointment.get()
    lapse(held)
    assert start in slots(client.get(calendar)), "offered again at once"
    other = app.test_client()
    _, path, page = open_details(other, calendar, holding_clinic, pick=slots(other.get(calendar)).index(start))
    taken = book(other, path, page, name="Sam Rivera", email="sam@example.com")
    assert taken.status_code == 200 and "Please confirm your session" in text(taken)

    assert appointments.release_lapsed_holds() == 1
    released = Appointment.get_by_id(held.id)
    assert (released.status, released.late, released.cancelled_at) == ("released", False, None)
    assert ChargeDecision.select().count() == 0, "no fee, not a late cancellation"
    told = [m for m in outbox(CLIENT) if "was not confirmed" in m.subject]
    assert len(told) == 1 and "/b/" in told[0].text_body
    assert appointments.release_lapsed_holds() == 0, "told exactly once"
    assert len([m for m in outbox(CLIENT) if "was not confirmed" in m.subject]) == 1


def test_the_mail_worker_releases_lapsed_holds_on_each_pass(runner, client, holding_clinic, hub):
    book_here(client, booking_path(owner_of(holding_clinic)), holding_clinic)
    lapse(Appointment.get())
    for _ in range(2):
        assert runner.invoke(args=["send-mail"]).exit_code == 0
    assert Appointment.get().status == "released"
    assert len([m for m in outbox(CLIENT) if "was not confirmed" in m.subject and m.sent_at]) == 1


def test_confirming_a_lapsed_hold_says_so_and_offers_the_calendar(client, holding_clinic, hub):
    book_here(client, booking_path(owner_of(holding_clinic)), holding_clinic)
    path = confirm_path()
    opened_in_time = form_token(client.get(path))
    lapse(Appointment.get())
    for response in (client.get(path), press_confirm(client, path, opened_in_time)):
        assert response.status_code == 410 and "This time was not confirmed in time" in text(response)
        assert "/b/" in response.get_data(as_text=True), "offers the booking link"
    assert Appointment.get().status == "held" and outbox(OWNER) == []
    appointments.release_lapsed_holds()
    assert client.get(path).status_code == 410


def test_tampered_foreign_and_expired_confirm_links_change_nothing(app, client, holding_clinic, hub, monkeypatch):
    book_here(client, booking_path(owner_of(holding_clinic)), holding_clinic)
    path = confirm_path()
    session = Appointment.get()
    keys = app.config["SECRET_KEYS"]
    manage = links.manage_token(keys, session)
    forged = links._dump(keys, links.HOLD_CONFIRM, session.id, "another-session@frontdesk", timed=True)
    before = snapshot()
    for bad in (path[:-3] + "xyz", f"/confirm/{manage}", f"/confirm/{forged}", "/confirm/" + "9" * 30):
        assert client.get(bad).status_code == 404, bad
        assert client.post(bad, data={}).status_code == 404, bad
    opened = form_token(client.get(path))
    monkeypatch.setattr(holds, "LINK_MAX_AGE", -1)  # older than any hold may last
    expired = press_confirm(client, path, opened)
    assert expired.status_code == 410 and "not confirmed in time" in text(expired)
    assert client.post(path, data={"form_token": "tampered"}).status_code == 410
    monkeypatch.undo()
    assert client.post(path, data={"form_token": "tampered"}).status_code == 422
    assert snapshot()["Appointment"] == before["Appointment"] and outbox(OWNER) == []


def test_the_limit_per_email_counts_holds_until_they_lapse(app, client, holding_clinic, hub):
    app.config["SELF_BOOKED_UPCOMING_PER_EMAIL"] = 1
    calendar = booking_path(owner_of(holding_clinic))
    book_here(client, calendar, holding_clinic)
    _, refused = book_here(client, calendar, holding_clinic, pick=1)
    assert refused.status_code == 429
    lapse(Appointment.get())
    _, allowed = book_here(client, calendar, holding_clinic, pick=1)
    assert allowed.status_code == 200 and Appointment.select().count() == 2


def test_without_the_setting_a_self_booking_is_booked_at_once(client, clinic, hub):
    book_here(client, booking_path(owner_of(clinic)), clinic)
    assert Appointment.get().status == "booked" and Appointment.get().hold_until is None
    assert len(outbox(OWNER)) == 1


def test_the_released_session_stays_struck_through_in_the_professionals_calendar(owner, client, holding_clinic, hub):
    start, _ = book_here(client, booking_path(owner_of(holding_clinic)), holding_clinic)
    session = Appointment.get()
    held_page = text(owner.client.get(f"/workstation/sessions/{session.id}"))
    assert "Awaiting the client's confirmation" in held_page
    lapse(session)
    appointments.release_lapsed_holds()
    page = owner.client.get(f"/workstation/sessions/{session.id}").get_data(as_text=True)
    assert "Released: not confirmed by the client" in page and 'class="released"' in page
    week = owner.client.get(f"/workstation/sessions?day={start.date().isoformat()}").get_data(as_text=True)
    assert "block-released" in week


PRIVACY = "/workstation/privacy"


def test_the_owner_turns_holds_on_with_sensible_bounds(owner, clinic):
    page = owner.client.get(PRIVACY)
    assert "Confirming online bookings" in text(page)
    saved = owner.post(f"{PRIVACY}/holds", {"confirm_self_bookings": "y", "hold_minutes": "45"}, page=PRIVACY)
    assert saved.status_code == 302
    assert (Clinic.get_by_id(clinic.id).confirm_self_bookings, Clinic.get_by_id(clinic.id).hold_minutes) == (True, 45)
    before = snapshot()
    for bad in ("5", "1441", "soon", ""):
        refused = owner.post(f"{PRIVACY}/holds", {"confirm_self_bookings": "y", "hold_minutes": bad}, page=PRIVACY)
        assert refused.status_code == 422, bad
        assert "Enter a number of minutes from 10 to 1440." in text(refused) or "required" in text(refused).lower()
    assert snapshot() == before
    owner.post(f"{PRIVACY}/holds", {"hold_minutes": "45"}, page=PRIVACY)
    assert Clinic.get_by_id(clinic.id).confirm_self_bookings is False


def test_the_confirm_link_is_shortened_in_logs():
    from frontdesk.security import redact_path

    assert redact_path("GET /confirm/abcdefghijklmnopqrstu HTTP/1.1") == "GET /confirm/abcdefgh… HTTP/1.1"


def test_the_email_path_only_carries_ids(app, client, holding_clinic, hub):
    book_here(client, booking_path(owner_of(holding_clinic)), holding_clinic)
    token = path_of("http://frontdesk.test" + confirm_path()).split("/confirm/")[1]
    session_id, uid = links.read_hold_token(app.config["SECRET_KEYS"], token, None)
    assert (session_id, uid) == (Appointment.get().id, Appointment.get().uid)


def test_a_confirmed_hold_is_never_released_and_a_released_one_never_confirmed(client, holding_clinic, hub):
    """Confirmation and release each change a hold only while it is still one: whichever comes first wins."""
    book_here(client, booking_path(owner_of(holding_clinic)), holding_clinic)
    first = Appointment.get()
    book_here(client, booking_path(owner_of(holding_clinic)), holding_clinic, pick=1)
    second = Appointment.get(Appointment.id != first.id)
    assert appointments.confirm_hold(first)[0] == "confirm"
    later = utcnow() + dt.timedelta(hours=1)
    assert appointments.release_lapsed_holds(now=later) == 1  # the second only
    assert (Appointment.get_by_id(first.id).status, Appointment.get_by_id(second.id).status) == ("booked", "released")
    answer, _ = appointments.confirm_hold(second, now=later)
    assert answer == "lapsed" and Appointment.get_by_id(second.id).status == "released"

"""The calendar subscription address (sync out), parsed by the icalendar library as a calendar app would,
and the Settings → Calendar page: reminders (the owner's), the daily agenda and the address (each one's)."""

import datetime as dt

import icalendar
from frontdesk import appointments, urls
from frontdesk.models import Clinic, Professional
from frontdesk.states import Actor

from tests.app.booking_fixtures import make_client, make_session, owner_of
from tests.conftest import snapshot
from tests.pages import parse

PAGE = "/workstation/settings/calendar"


def feed_path(professional):
    return urls.feed_link(Professional.get_by_id(professional.id)).split("frontdesk.test", 1)[1]


def events(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_is_valid_icalendar_and_hides_clients_names(app, clinic, client):
    owner = owner_of(clinic)
    kim = make_client(clinic, "kim@example.com", "Kim Lee")
    session = make_session(clinic, 48, channel="direct", client=kim)
    response = client.get(feed_path(owner))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    event = events(response)[session.uid]
    assert str(event["SUMMARY"]).startswith("K. L.")
    assert "Kim" not in response.get_data(as_text=True) and "kim@example.com" not in response.get_data(as_text=True)
    assert event.decoded("DTSTART").replace(tzinfo=None) == session.starts_at
    assert (event["STATUS"], event["SEQUENCE"]) == ("CONFIRMED", 0)


def test_a_cancelled_or_moved_session_is_marked_so_under_the_same_uid(app, clinic, client):
    owner = owner_of(clinic)
    cancelled = make_session(clinic, 48, channel="direct")
    moving = make_session(clinic, 72, channel="direct")
    appointments.cancel(cancelled, Actor.PROFESSIONAL, owner)
    old, moved = appointments.reschedule(moving, moving.starts_at + dt.timedelta(days=1), Actor.PROFESSIONAL, owner)
    by_uid = events(client.get(feed_path(owner)))
    assert (by_uid[cancelled.uid]["STATUS"], by_uid[cancelled.uid]["SEQUENCE"]) == ("CANCELLED", 1)
    assert by_uid[old.uid]["STATUS"] == "CANCELLED"
    assert by_uid[moved.uid]["STATUS"] == "CONFIRMED"
    assert by_uid[moved.uid].decoded("DTSTART").replace(tzinfo=None) == moved.starts_at


def test_full_names_only_when_the_professional_chooses(app, clinic, owner):
    session = make_session(clinic, 48, channel="direct", client=make_client(clinic, "kim@example.com", "Kim Lee"))
    assert owner.post(PAGE + "/feed/names", {"feed_full_names": "y"}, page=PAGE).status_code == 302
    assert str(events(owner.client.get(feed_path(owner_of(clinic))))[session.uid]["SUMMARY"]).startswith("Kim Lee")


def test_replacing_the_address_stops_the_old_one_at_once(app, clinic, owner):
    old = feed_path(owner_of(clinic))
    assert owner.post(PAGE + "/feed/replace", page=PAGE).status_code == 302
    assert owner.client.get(old).status_code == 410
    new = feed_path(owner_of(clinic))
    assert new != old and owner.client.get(new).status_code == 200
    assert new in owner.client.get(PAGE).get_data(as_text=True)


def test_a_feed_shows_only_its_own_professionals_sessions(app, clinic, other_clinic, client):
    mine = make_session(clinic, 48, channel="direct")
    theirs = make_session(other_clinic, 48, channel="direct", client=make_client(other_clinic, "eva@fjord.example"))
    by_uid = events(client.get(feed_path(owner_of(other_clinic))))
    assert theirs.uid in by_uid and mine.uid not in by_uid


def test_the_owner_sets_reminders_and_bad_hours_change_nothing(app, clinic, owner):
    response = owner.post(
        PAGE + "/reminders",
        {"reminder_hours": "48", "second_reminder_hours": "2", "remind_late_bookings": "y"},
        page=PAGE,
    )
    assert response.status_code == 302
    saved = Clinic.get_by_id(clinic.id)
    assert (saved.reminder_hours, saved.second_reminder_hours, saved.remind_late_bookings) == (48, 2, True)

    before = snapshot()
    for bad in (
        {"reminder_hours": "0"},
        {"reminder_hours": "1000"},
        {"reminder_hours": "abc"},
        {"reminder_hours": ""},
        {"reminder_hours": "24", "second_reminder_hours": "24"},
    ):
        response = owner.post(PAGE + "/reminders", bad, page=PAGE)
        assert response.status_code == 422, bad
        page = parse(response.get_data(as_text=True))
        assert page.find(class_="error") is not None, bad
    assert snapshot() == before


def test_only_the_owner_changes_reminders_but_each_professional_their_own_agenda(app, clinic, staff):
    before = snapshot()
    assert staff.post(PAGE + "/reminders", {"reminder_hours": "2"}, page=PAGE).status_code == 403
    assert snapshot() == before
    assert "Clients get a reminder 24 hours before each session." in staff.client.get(PAGE).get_data(as_text=True)
    assert staff.post(PAGE + "/agenda", {"daily_agenda": "y"}, page=PAGE).status_code == 302
    assert Professional.get(Professional.email == "ben@harbour.example").daily_agenda is True
    assert owner_of(clinic).daily_agenda is False


def test_a_form_without_its_csrf_token_changes_nothing(app, clinic, owner):
    before = snapshot()
    for path in ("/reminders", "/agenda", "/feed/names", "/feed/replace"):
        owner.client.post(PAGE + path, data={"reminder_hours": "2", "daily_agenda": "y", "feed_full_names": "y"})
    assert snapshot() == before

"""Where a session happens: the clinic's address, a service's place, a professional's video link and a
session's own link and note, set in the workstation and shown to the client on the manage page, the
dashboard, every session email, the reminder and the calendar invitation. Each invitation says no more than
the email it rides on."""

import datetime as dt

import icalendar
import pytest
from frontdesk import appointments, calendar_feeds, privacy, reminders
from frontdesk.models import Clinic, Professional, Service, utcnow

from tests.conftest import outbox, snapshot

from .booking_fixtures import dashboard_path, fresh, make_client, make_session, manage_path, owner_of, service_of
from .conftest import text
from .test_services_and_clinic_settings import (
    AVAILABILITY,
    CLINIC,
    clinic_form,
    save_clinic,
    save_service,
    service_form,
    version_on,
)

ADDRESS = "12 Harbour Road\nReykjavik 101"
ROOM = "https://video.example/ada"
SESSION_ROOM = "https://video.example/kim-tuesday"


def book(clinic, hours_ahead=72, client=None):
    """A session booked by the owner through the app, with its emails and invitations."""
    clinic, owner = fresh(clinic), owner_of(clinic)
    start = (utcnow() + dt.timedelta(hours=hours_ahead)).replace(second=0, microsecond=0)
    client = client or make_client(clinic)
    return appointments.book(clinic, owner, client, service_of(clinic), start, 50, booked_by=owner)


def invitation(message):
    calendar = icalendar.Calendar.from_ical(message.ics)
    return calendar.walk("VEVENT")[0]


def session_page(session):
    return f"/workstation/sessions/{session.id}"


def place_form(owner, session, **changes):
    page = text(owner.client.get(session_page(session)))
    data = {"version": version_on(page), "video_link": "", "place_note": ""}
    data.update(changes)
    return data


def save_place(auth, session, data):
    return auth.post(f"{session_page(session)}/place", data, page=session_page(session))


def test_an_in_person_session_names_the_clinics_address_everywhere_the_client_looks(owner, clinic):
    assert save_clinic(owner, clinic_form(owner, address=" 12 Harbour Road \n\nReykjavik 101")).status_code == 302
    assert Clinic.get_by_id(clinic.id).address == ADDRESS
    session = book(clinic)

    email = outbox("kim@example.com")[0]
    assert "Where: 12 Harbour Road, Reykjavik 101" in email.text_body
    assert invitation(email)["LOCATION"] == "12 Harbour Road, Reykjavik 101"
    professional_email = outbox("owner@harbour.example")[0]
    assert invitation(professional_email)["LOCATION"] == "12 Harbour Road, Reykjavik 101"

    manage = text(owner.client.get(manage_path(session)))
    assert "Where" in manage and "12 Harbour Road<br>Reykjavik 101" in manage
    dashboard = text(owner.client.get(dashboard_path(session.client)))
    assert "12 Harbour Road, Reykjavik 101" in dashboard


def test_a_video_service_uses_the_professionals_link_until_the_session_has_its_own(owner, clinic):
    service = service_of(clinic)
    assert save_service(owner, service, service_form(owner, service, place="video")).status_code == 302
    saved = owner.post(f"{AVAILABILITY}/video-link", {"video_link": ROOM}, page=AVAILABILITY)
    assert saved.status_code == 302 and fresh(owner_of(clinic)).video_link == ROOM
    session = book(clinic)
    email = outbox("kim@example.com")[0]
    assert "Where: By video" in email.text_body and f"Video link: {ROOM}" in email.text_body
    assert f'href="{ROOM}"' in email.html_body
    event = invitation(email)
    assert (event["LOCATION"], event["URL"]) == (ROOM, ROOM) and ROOM in event["DESCRIPTION"]

    # The professional gives this one session a room of its own and a note: the client hears of it.
    before = len(outbox())
    data = place_form(owner, session, video_link=SESSION_ROOM, place_note="Test your sound first")
    response = save_place(owner, session, data)
    assert response.status_code == 302
    assert "The place was saved." in text(owner.client.get(response.headers["Location"]))
    row = fresh(session)
    assert (row.video_link, row.place_note, row.sequence, row.uid) == (
        SESSION_ROOM,
        "Test your sound first",
        session.sequence + 1,
        session.uid,
    )
    update = outbox("kim@example.com")[-1]
    assert len(outbox()) == before + 2
    assert update.subject == "Your session with Harbour Counselling was updated"
    assert "The place of your session has changed." in update.text_body
    assert SESSION_ROOM in update.text_body and "Test your sound first" in update.text_body
    event = invitation(update)
    assert (str(event["UID"]), event["SEQUENCE"], event["URL"]) == (session.uid, row.sequence, SESSION_ROOM)
    manage = text(owner.client.get(manage_path(session)))
    assert f'href="{SESSION_ROOM}"' in manage and "Join the video session" in manage

    # Saving the same place again changes and sends nothing.
    before = snapshot()
    assert (
        save_place(
            owner, session, place_form(owner, session, video_link=SESSION_ROOM, place_note="Test your sound first")
        ).status_code
        == 302
    )
    assert snapshot() == before


def test_a_phone_service_says_so_without_an_address(owner, clinic):
    service = service_of(clinic)
    save_clinic(owner, clinic_form(owner, address=ADDRESS))
    assert save_service(owner, service, service_form(owner, service, place="phone")).status_code == 302
    book(clinic)
    email = outbox("kim@example.com")[0]
    assert "Where: By phone" in email.text_body and "Harbour Road" not in email.text_body
    assert invitation(email)["LOCATION"] == "By phone"


def test_a_moved_session_keeps_its_place_and_the_reschedule_email_names_it(owner, clinic):
    session = book(clinic)
    save_place(owner, session, place_form(owner, session, video_link=SESSION_ROOM))
    old, moved = appointments.reschedule(
        fresh(session), session.starts_at + dt.timedelta(days=1), "professional", owner_of(clinic)
    )
    assert (moved.video_link, moved.place_note) == (SESSION_ROOM, "")
    rescheduled = next(m for m in outbox("kim@example.com") if "rescheduled" in m.subject)
    assert f"Video link: {SESSION_ROOM}" in rescheduled.text_body


def test_the_reminder_names_the_place_and_the_late_fee(app, owner, clinic):
    Clinic.update(late_fee_cents=4000, currency="EUR", address=ADDRESS).where(Clinic.id == clinic.id).execute()
    make_session(fresh(clinic), 20, channel="direct", created_at=utcnow() - dt.timedelta(days=7))
    assert reminders.queue_due() == 1
    reminder = outbox("kim@example.com")[-1]
    assert "Where: 12 Harbour Road, Reykjavik 101" in reminder.text_body
    assert "The late fee is €40.00." in reminder.text_body and "The late fee is €40.00." in reminder.html_body


@pytest.mark.parametrize(
    "where, data, message",
    [
        ("clinic", {"address": "12 Harbour Road\x07"}, "Please use only letters, numbers, spaces and punctuation."),
        ("clinic", {"address": "a" * 501}, "Please use at most 500 characters."),
        (
            "video",
            {"video_link": "http://video.example/ada"},
            "Please enter a full web address, starting with https://.",
        ),
        ("video", {"video_link": "javascript:alert(1)"}, "Please enter a full web address, starting with https://."),
        ("video", {"video_link": "https://video.example/" + "a" * 500}, "Please use at most 500 characters."),
        (
            "session",
            {"video_link": "ftp://video.example/x"},
            "Please enter a full web address, starting with https://.",
        ),
        ("session", {"place_note": "Room 2\nsecond floor"}, "Please use a single line without special characters."),
        ("session", {"place_note": "a" * 201}, "Please use at most 200 characters."),
        ("service", {"place": "balcony"}, "Please choose one of the options."),
    ],
)
def test_a_bad_place_says_why_and_changes_nothing(owner, clinic, where, data, message):
    session = make_session(clinic, 72, channel="direct")
    if where == "clinic":
        form, path = clinic_form(owner, **data), CLINIC
    elif where == "video":
        form, path = data, f"{AVAILABILITY}/video-link"
    elif where == "session":
        form, path = place_form(owner, session, **data), f"{session_page(session)}/place"
    else:
        form, path = (
            service_form(owner, service_of(clinic), **data),
            f"/workstation/settings/services/{service_of(clinic).id}",
        )
    before = snapshot()
    response = owner.post(path, form, page=path.rsplit("/place", 1)[0] if where == "session" else AVAILABILITY)
    assert response.status_code == 422 and message in text(response)
    assert snapshot() == before


def test_a_place_saved_from_an_older_page_changes_nothing(owner, clinic):
    session = book(clinic)
    mine = place_form(owner, session, place_note="Room 2")
    theirs = place_form(owner, session, place_note="Room 3")
    assert save_place(owner, session, theirs).status_code == 302
    before = snapshot()
    response = save_place(owner, session, mine)
    assert response.status_code == 409
    assert "This session changed while you were editing it, so nothing was saved." in text(response)
    assert 'value="Room 3"' in text(response) and snapshot() == before


def test_another_clinics_or_a_colleagues_session_place_is_not_found(app, owner, clinic, other_clinic, staff):
    theirs = make_session(other_clinic, 72, channel="direct", client=make_client(other_clinic))
    mine = make_session(clinic, 72, channel="direct")
    before = snapshot()
    data = {"version": "0", "video_link": SESSION_ROOM, "place_note": ""}
    assert owner.post(f"{session_page(theirs)}/place", data).status_code == 404
    assert staff.post(f"{session_page(mine)}/place", data).status_code == 404
    assert snapshot() == before


def test_a_colleague_sets_their_own_video_link_and_the_owner_a_colleagues(owner, clinic, staff):
    ben = Professional.get(Professional.email == "ben@harbour.example")
    assert staff.post(f"{AVAILABILITY}/video-link", {"video_link": ROOM}, page=AVAILABILITY).status_code == 302
    assert (fresh(ben).video_link, fresh(owner_of(clinic)).video_link) == (ROOM, "")
    page = f"{AVAILABILITY}?member={ben.id}"
    response = owner.post(f"{AVAILABILITY}/video-link?member={ben.id}", {"video_link": ""}, page=page)
    assert response.status_code == 302 and fresh(ben).video_link == ""


def test_each_invitation_says_no_more_than_its_email(owner, clinic):
    """The professional's names no client; a discreet clinic's client invitation names no service."""
    Service.update(name="Couples therapy").where(Service.clinic == clinic).execute()
    Clinic.update(mail_sender_name="HC Appointments").where(Clinic.id == clinic.id).execute()
    client = make_client(clinic, "kim.lee@example.com", "Kim Lee")
    session = book(fresh(clinic), client=client)

    theirs = invitation(outbox("owner@harbour.example")[0])
    professional_ics = outbox("owner@harbour.example")[0].ics
    assert "ATTENDEE" not in theirs and "kim.lee@example.com" not in professional_ics
    assert "Kim" not in professional_ics and "Lee" not in professional_ics

    client_event = invitation(outbox("kim.lee@example.com")[0])
    assert str(client_event["ATTENDEE"]) == "mailto:kim.lee@example.com"
    assert "Couples" not in str(client_event["SUMMARY"]) and "HC Appointments" in str(client_event["SUMMARY"])

    # UID and SEQUENCE are the feed's, so a calendar holding both shows one event.
    feed = icalendar.Calendar.from_ical(calendar_feeds.feed(owner_of(clinic)))
    listed = feed.walk("VEVENT")[0]
    for event in (theirs, client_event):
        assert (
            (str(event["UID"]), event["SEQUENCE"])
            == (str(listed["UID"]), listed["SEQUENCE"])
            == (
                session.uid,
                session.sequence,
            )
        )


def test_a_clinic_without_discreet_emails_names_the_service_in_the_clients_invitation(clinic):
    book(clinic)
    summary = str(invitation(outbox("kim@example.com")[0])["SUMMARY"])
    assert summary == f"{service_of(clinic).name} – Harbour Counselling"


def test_erasing_a_client_forgets_their_sessions_own_room_and_note(owner, clinic):
    session = make_session(
        clinic, -48, channel="direct", video_link="https://video.example/kim-lee", place_note="Kim Lee's room"
    )
    privacy.erase(fresh(session.client), owner_of(clinic))
    assert (fresh(session).video_link, fresh(session).place_note) == ("", "")


def test_an_ended_or_cancelled_session_keeps_its_place(owner, clinic):
    ended = make_session(clinic, -3, channel="direct")
    cancelled = make_session(clinic, 72, channel="direct", status="cancelled", cancelled_at=utcnow())
    for session in (ended, cancelled):
        page = text(owner.client.get(session_page(session)))
        assert "Save the place" not in page
        before = snapshot()
        data = {"version": str(session.sequence), "video_link": SESSION_ROOM, "place_note": ""}
        response = save_place(owner, session, data)
        assert response.status_code == 302 and snapshot() == before
        assert not outbox()

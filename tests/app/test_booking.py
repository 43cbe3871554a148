"""Booking a session from a client's page, in the clinic's timezone, and the Sessions page."""

import datetime

import pytest
from frontdesk.models import Appointment, Client, Professional, Service, utcnow

from tests.conftest import add_professional, outbox

from .conftest import first_service, local_today, next_july_day, next_spring_forward, text


def owner_of(clinic):
    return Professional.get(Professional.clinic == clinic, Professional.role == "owner")


def book(auth, client, day, time, service=None, professional=None, form=None):
    """Fill in "Book a session" on the client's page and press Book session."""
    data = {
        "service": str((service or first_service(client.clinic)).id),
        "professional": str((professional or owner_of(client.clinic)).id),
        "day": day.isoformat() if hasattr(day, "isoformat") else day,
        "time": time,
    }
    data.update(form or {})
    return auth.post(
        f"/workstation/clients/{client.id}/sessions",
        {k: v for k, v in data.items() if v is not None},
        page=f"/workstation/clients/{client.id}",
    )


@pytest.mark.parametrize(
    "day, utc_hour",
    [
        (next_july_day(), 9),  # British Summer Time: UTC+1
        (next_july_day().replace(month=1, day=12), 10),  # Greenwich Mean Time: UTC
    ],
    ids=["summer", "winter"],
)
def test_booking_a_session_stores_the_right_moment_and_emails_both(client, owner, accepted_client, day, utc_hour):
    """The owner books 10:00 London time for a client: the session is kept at the right UTC moment and
    client and professional each get a confirmation with a calendar invitation."""
    emails = len(outbox())
    response = book(owner, accepted_client, day, "10:00")
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "The session is booked. Sam Rivera will get a confirmation email." in page

    session = Appointment.get()
    service = first_service(accepted_client.clinic)
    assert session.starts_at == datetime.datetime.combine(day, datetime.time(utc_hour, 0))
    assert session.ends_at - session.starts_at == datetime.timedelta(minutes=service.duration_minutes)
    assert (session.client_id, session.service_id, session.status) == (accepted_client.id, service.id, "booked")
    assert session.booked_by.email == session.professional.email == "owner@harbour.example"
    assert session.channel == "request"

    assert len(outbox()) == emails + 2
    for address in ("sam@example.com", "owner@harbour.example"):
        confirmation = outbox(address)[-1]
        assert "booked" in confirmation.subject
        assert "METHOD:REQUEST" in confirmation.ics and f"UID:{session.uid}" in confirmation.ics
        assert f"DTSTART:{session.starts_at:%Y%m%dT%H%M%S}Z" in confirmation.ics
    assert "10:00" in outbox("sam@example.com")[-1].text_body


def test_the_session_appears_on_the_client_page_in_local_time(client, owner, accepted_client):
    """After booking, the client's page lists the session at the local time it was booked for."""
    book(owner, accepted_client, next_july_day(), "10:00")
    page = text(client.get(f"/workstation/clients/{accepted_client.id}"))
    assert "No sessions yet." not in page
    assert "10:00" in page and "On request" in page


def test_a_session_can_be_booked_with_another_professional(owner, accepted_client, clinic):
    """The owner can book a session with a colleague; the colleague is emailed, not the owner."""
    colleague = add_professional(clinic, "ben@harbour.example")
    emails = len(outbox("owner@harbour.example"))
    assert book(owner, accepted_client, next_july_day(), "10:00", professional=colleague).status_code == 302
    assert Appointment.get().professional_id == colleague.id
    assert "METHOD:REQUEST" in outbox("ben@harbour.example")[-1].ics
    assert len(outbox("owner@harbour.example")) == emails


def test_an_overlapping_time_is_refused_and_nothing_is_booked(owner, accepted_client):
    """Booking over a session the professional already has is refused (409) with a clear message."""
    day = next_july_day()
    book(owner, accepted_client, day, "10:00")
    emails = len(outbox())
    response = book(owner, accepted_client, day, "10:30")
    assert response.status_code == 409
    assert "That time overlaps another session booked for this professional" in text(response)
    assert Appointment.select().count() == 1
    assert len(outbox()) == emails


def test_back_to_back_sessions_and_other_professionals_do_not_clash(owner, accepted_client, clinic):
    """A session may start as the previous one ends, and a colleague may see someone at the same time."""
    day = next_july_day()
    duration = first_service(clinic).duration_minutes
    book(owner, accepted_client, day, "10:00")
    end = (datetime.datetime.combine(day, datetime.time(10, 0)) + datetime.timedelta(minutes=duration)).time()
    assert book(owner, accepted_client, day, end.strftime("%H:%M")).status_code == 302
    colleague = add_professional(clinic, "ben@harbour.example")
    assert book(owner, accepted_client, day, "10:00", professional=colleague).status_code == 302
    assert Appointment.select().count() == 3


def test_a_time_in_the_past_is_refused(owner, accepted_client, clinic):
    """Booking a time that has already passed is refused with a clear message and books nothing."""
    yesterday = local_today(clinic) - datetime.timedelta(days=1)
    response = book(owner, accepted_client, yesterday, "10:00")
    assert response.status_code == 422
    assert "That time has already passed" in text(response)
    assert Appointment.select().count() == 0


def test_a_time_skipped_by_the_clocks_is_refused(owner, accepted_client):
    """01:30 on the morning London's clocks jump from 01:00 to 02:00 does not exist: refused, clearly."""
    emails = len(outbox())
    response = book(owner, accepted_client, next_spring_forward(), "01:30")
    assert response.status_code == 422
    assert "That time does not exist on that day because the clocks change" in text(response)
    assert Appointment.select().count() == 0
    assert len(outbox()) == emails


def test_a_time_repeated_when_the_clocks_go_back_means_the_first_one(owner, accepted_client):
    """01:30 on the morning the clocks go back happens twice; the booking takes the first (summer) one."""
    day = datetime.date(next_july_day().year, 10, 31)
    day -= datetime.timedelta(days=(day.weekday() + 1) % 7)  # the last Sunday of October
    assert book(owner, accepted_client, day, "01:30").status_code == 302
    assert Appointment.get().starts_at == datetime.datetime.combine(day, datetime.time(0, 30))


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("service", "", "Please choose a service."),
        ("day", "", "Please enter a date."),
        ("time", "", "Please enter a time."),
        ("day", "13/07/2027", "Please enter a date."),
        ("time", "25:00", "Please enter a time."),
        ("service", "999999", "Not a valid choice"),
        ("professional", "999999", "Not a valid choice"),
    ],
)
def test_an_incomplete_booking_form_is_sent_back(owner, accepted_client, field, value, message):
    """A missing or impossible service, professional, date or time is pointed out and nothing is booked."""
    response = book(owner, accepted_client, next_july_day(), "10:00", form={field: value})
    assert response.status_code == 422
    assert message in text(response)
    assert Appointment.select().count() == 0 and len(outbox("sam@example.com")) == 2


def test_a_service_no_longer_offered_cannot_be_booked(owner, accepted_client, clinic):
    """A service the clinic stopped offering is not in the booking form and is refused if sent."""
    service = first_service(clinic)
    Service.update(active=False).where(Service.id == service.id).execute()
    response = book(owner, accepted_client, next_july_day(), "10:00", service=service)
    assert response.status_code == 422
    assert Appointment.select().count() == 0


def test_the_sessions_page_lists_upcoming_sessions_in_order(client, owner, accepted_client, clinic):
    """Sessions lists the clinic's upcoming sessions, soonest first; sessions already over are not shown."""
    day = next_july_day()
    book(owner, accepted_client, day + datetime.timedelta(days=1), "11:00")
    book(owner, accepted_client, day, "10:00")
    seen_last_week = Client.create(clinic=clinic, email="noor@example.com", name="Noor Haddad", status="active")
    last_week = utcnow() - datetime.timedelta(days=7)
    Appointment.create(
        clinic=clinic,
        professional=Appointment.get().professional,
        client=seen_last_week,
        starts_at=last_week,
        ends_at=last_week + datetime.timedelta(hours=1),
    )
    response = client.get("/workstation/sessions")
    page = text(response)
    assert response.status_code == 200
    assert "Upcoming sessions" in page and "Sam Rivera" in page
    assert page.index("10:00") < page.index("11:00")
    assert "Noor Haddad" not in page


def test_the_sessions_page_says_when_there_are_none(client, owner):
    """With nothing booked, Sessions says so and how to book one."""
    page = text(client.get("/workstation/sessions"))
    assert "No upcoming sessions" in page


def test_the_sessions_page_shows_only_this_clinics_sessions(client, owner, accepted_client, other_clinic):
    """Another clinic's sessions never appear on this clinic's Sessions page."""
    stranger = Client.create(clinic=other_clinic, email="elin@example.com", name="Elin Fjord", status="active")
    start = datetime.datetime.combine(next_july_day(), datetime.time(12, 0))
    Appointment.create(
        clinic=other_clinic,
        professional=Professional.get(Professional.clinic == other_clinic),
        client=stranger,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    book(owner, accepted_client, next_july_day(), "10:00")
    page = text(client.get("/workstation/sessions"))
    assert "Sam Rivera" in page and "Elin Fjord" not in page

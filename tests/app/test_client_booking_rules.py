"""The rules a client's booking or move must meet, enforced by appointments.book and .reschedule
themselves, so any page or command that books for a client gets them: an offered slot, in the future,
within the pages a client can see. A professional may still book any free future time."""

import datetime as dt

import pytest
from frontdesk import appointments, availability, booking
from frontdesk.models import Appointment, Client, utcnow
from frontdesk.states import Actor

from tests.conftest import snapshot

from .booking_fixtures import local_start, make_client, make_session, owner_of, service_of, someone_else_books


def book_as_client(clinic, hub, start):
    client = Client.get_or_none(Client.clinic == clinic) or make_client(clinic)
    return appointments.book(
        clinic, owner_of(clinic), client, service_of(clinic), start, 50, booked_by=None, channel="hub", hub=hub
    )


def beyond_the_pages(clinic):
    last_day = availability.last_day_offered(utcnow(), clinic.timezone)
    return booking.local_to_utc(last_day + dt.timedelta(days=1), dt.time(10), clinic.timezone)


def refusals(clinic):
    """(what, start, code) for every start a client may not have."""
    return [
        ("outside hours", local_start(clinic, 3, 3), booking.NOT_OFFERED),
        ("off the grid", local_start(clinic, 3, 9, 10), booking.NOT_OFFERED),
        ("in the past", local_start(clinic, -1, 10), booking.IN_THE_PAST),
        ("beyond the horizon", beyond_the_pages(clinic), booking.BEYOND_HORIZON),
    ]


def test_a_client_booking_is_refused_each_start_the_page_would_not_offer(clinic, hub):
    make_client(clinic)
    before = snapshot()
    for what, start, code in refusals(clinic):
        with pytest.raises(booking.BookingError) as refused:
            book_as_client(clinic, hub, start)
        assert refused.value.code == code, what
    assert snapshot() == before


def test_a_client_booking_at_an_offered_slot_is_made(clinic, hub):
    start = local_start(clinic, 3, 9)
    assert book_as_client(clinic, hub, start).starts_at == start


def test_a_client_booking_of_a_taken_slot_is_refused(clinic, hub):
    start = local_start(clinic, 3, 9, 50)
    someone_else_books(clinic, start)
    with pytest.raises(booking.BookingError) as refused:
        book_as_client(clinic, hub, start)
    assert refused.value.code == booking.NOT_OFFERED


def test_a_professional_may_book_any_free_future_time(clinic, hub):
    owner, client = owner_of(clinic), make_client(clinic)
    for start in (local_start(clinic, 3, 3), local_start(clinic, 3, 9, 10), beyond_the_pages(clinic)):
        appointments.book(clinic, owner, client, service_of(clinic), start, 50, booked_by=owner)
    with pytest.raises(booking.BookingError) as refused:
        appointments.book(clinic, owner, client, service_of(clinic), local_start(clinic, -1, 10), 50, booked_by=owner)
    assert refused.value.code == booking.IN_THE_PAST


def test_a_client_move_is_refused_each_start_the_page_would_not_offer(clinic, hub):
    session = make_session(clinic, 50, channel="hub", hub=hub)
    own = local_start(clinic, 4, 9, 50)
    Appointment.update(starts_at=own, ends_at=own + dt.timedelta(minutes=50)).where(
        Appointment.id == session.id
    ).execute()
    session = Appointment.get_by_id(session.id)
    before = snapshot()
    for what, start, code in refusals(clinic) + [("its own time", own, booking.NOT_OFFERED)]:
        with pytest.raises(booking.BookingError) as refused:
            appointments.reschedule(session, start, Actor.CLIENT)
        assert refused.value.code == code, what
    assert snapshot() == before


def test_a_client_move_to_an_offered_slot_is_made(clinic, hub):
    session = make_session(clinic, 50, channel="hub", hub=hub)
    _, moved = appointments.reschedule(session, local_start(clinic, 5, 9, 50), Actor.CLIENT)
    assert moved.starts_at == local_start(clinic, 5, 9, 50)


def test_a_professional_may_move_a_session_outside_the_offered_slots(clinic, hub):
    session = make_session(clinic, 50, channel="hub", hub=hub)
    _, moved = appointments.reschedule(
        session, local_start(clinic, 5, 3), Actor.PROFESSIONAL, professional=owner_of(clinic)
    )
    assert moved.starts_at == local_start(clinic, 5, 3)

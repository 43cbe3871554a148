"""The rules a client's booking or move must meet, enforced by appointments.book and .reschedule
themselves, so any page or command that books for a client gets them: an offered slot, in the future,
within the pages a client can see. A professional may still book any free future time."""

import datetime as dt

import pytest
from frontdesk import appointments, availability, booking, professional_settings
from frontdesk.models import Appointment, Client, Clinic, Professional, utcnow
from frontdesk.states import Actor

from tests.conftest import snapshot

from .booking_fixtures import local_start, make_client, make_session, owner_of, service_of, someone_else_books


def book_as_client(clinic, hub, start):
    client = Client.get_or_none(Client.clinic == clinic) or make_client(clinic)
    return appointments.book(
        clinic, owner_of(clinic), client, service_of(clinic), start, 50, booked_by=None, channel="hub", hub=hub
    )


def beyond_the_pages(clinic):
    last_day = availability.last_day_offered(utcnow(), owner_of(clinic))
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
    start = local_start(clinic, 3, 10)
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
    own = local_start(clinic, 4, 10)
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
    _, moved = appointments.reschedule(session, local_start(clinic, 5, 10), Actor.CLIENT)
    assert moved.starts_at == local_start(clinic, 5, 10)


def test_a_professional_may_move_a_session_outside_the_offered_slots(clinic, hub):
    session = make_session(clinic, 50, channel="hub", hub=hub)
    _, moved = appointments.reschedule(
        session, local_start(clinic, 5, 3), Actor.PROFESSIONAL, professional=owner_of(clinic)
    )
    assert moved.starts_at == local_start(clinic, 5, 3)


# --- The professional's booking rules: the page offers and the booking accepts the same slots ------------------


def offered_starts(clinic, days=7):
    owner = Professional.get_by_id(owner_of(clinic).id)
    today = booking.utc_to_local(utcnow(), clinic.timezone).date()
    return {start for start, _ in availability.slots(owner, 50, today, utcnow(), days=days)}


def set_rules(clinic, **rules):
    professional_settings.save_booking_rules(
        owner_of(clinic), **{"buffer_minutes": 0, "notice_minutes": 60, "horizon_days": 365, **rules}
    )


def test_a_buffer_refuses_a_client_the_slot_next_to_a_booked_session(clinic, hub):
    someone_else_books(clinic, local_start(clinic, 3, 11))  # 11:00–11:50
    set_rules(clinic, buffer_minutes=30)
    too_close, far_enough = local_start(clinic, 3, 12), local_start(clinic, 3, 12, 30)
    assert too_close not in offered_starts(clinic) and far_enough in offered_starts(clinic)
    with pytest.raises(booking.BookingError) as refused:
        book_as_client(clinic, hub, too_close)
    assert refused.value.code == booking.NOT_OFFERED
    assert book_as_client(clinic, hub, far_enough).starts_at == far_enough


def test_minimum_notice_refuses_a_client_a_slot_too_soon(clinic, hub):
    set_rules(clinic, notice_minutes=3 * 24 * 60)
    soon, later = local_start(clinic, 2, 10), local_start(clinic, 4, 10)
    assert soon not in offered_starts(clinic) and later in offered_starts(clinic)
    with pytest.raises(booking.BookingError) as refused:
        book_as_client(clinic, hub, soon)
    assert refused.value.code == booking.NOT_OFFERED
    assert book_as_client(clinic, hub, later).starts_at == later


def test_the_horizon_refuses_a_client_a_slot_beyond_it(clinic, hub):
    set_rules(clinic, horizon_days=5)
    inside, beyond = local_start(clinic, 5, 10), local_start(clinic, 6, 10)
    assert inside in offered_starts(clinic, 14) and beyond not in offered_starts(clinic, 14)
    with pytest.raises(booking.BookingError) as refused:
        book_as_client(clinic, hub, beyond)
    assert refused.value.code == booking.BEYOND_HORIZON
    assert book_as_client(clinic, hub, inside).starts_at == inside


def test_the_clinics_grid_decides_which_starts_a_client_may_take(clinic, hub):
    Clinic.update(slot_grid_minutes=15).where(Clinic.id == clinic.id).execute()
    quarter = local_start(clinic, 3, 10, 15)
    assert quarter in offered_starts(clinic)
    assert book_as_client(Clinic.get_by_id(clinic.id), hub, quarter).starts_at == quarter

"""The professional cancels a session while the client moves it, at the same moment: one of them
happens, the other is told the session was already changed — never a database deadlock (PostgreSQL:
the cancel wrote the professional's id into a session it had locked while the move held the
professional and waited for the session)."""

import datetime as dt

from frontdesk import appointments, booking
from frontdesk.models import Appointment, Client, Hub, Professional, utcnow
from frontdesk.states import Actor

from tests.app.offered_slots import offer_hours

from .races import race

ROUNDS = 5  # the deadlock showed in most rounds; five make missing it very unlikely


def test_a_professional_cancel_racing_a_client_move_leaves_one_outcome(app, clinic):
    owner = Professional.get(Professional.clinic == clinic)
    client = Client.create(clinic=clinic, email="kim@example.com", name="Kim", status="active")
    hub = Hub.create(clinic=clinic, name="Hub")
    offer_hours(owner, 10, 12)
    today = booking.utc_to_local(utcnow(), clinic.timezone).date()
    for round_ in range(ROUNDS):
        start = booking.local_to_utc(today + dt.timedelta(days=4 + round_), dt.time(10), clinic.timezone)
        session = appointments.book(
            clinic, owner, client, clinic.services.get(), start, 50, booked_by=None, channel="hub", hub=hub
        )
        cancel, move = race(
            app,
            lambda: appointments.cancel(session, Actor.PROFESSIONAL, professional=owner),
            lambda: appointments.reschedule(session, start + dt.timedelta(hours=2), Actor.CLIENT),
        )
        assert sorted([cancel, move]) == ["done", booking.NOT_BOOKED], (round_, cancel, move)
        rows = list(Appointment.select().where(Appointment.starts_at.in_([start, start + dt.timedelta(hours=2)])))
        if cancel == "done":
            assert [(r.status, r.cancelled_by) for r in rows] == [("cancelled", "professional")]
        else:
            assert sorted((r.status, r.cancel_reason) for r in rows) == [("booked", ""), ("cancelled", "rescheduled")]

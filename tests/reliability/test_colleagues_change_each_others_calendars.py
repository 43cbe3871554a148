"""Two colleagues at once, each changing the other's calendar: the owner books a session for a colleague
while the colleague cancels one of the owner's sessions. Both happen — never a database deadlock
(PostgreSQL: each held its own calendar's lock, and a plain FOR UPDATE lock also blocks the foreign-key
check that the other's write makes on that professional's row)."""

import datetime as dt

from frontdesk import appointments, booking
from frontdesk.models import Appointment, Client, Professional, utcnow
from frontdesk.states import Actor

from .races import race

ROUNDS = 5


def test_colleagues_changing_each_others_calendars_at_once_both_succeed(app, clinic):
    owner = Professional.get(Professional.clinic == clinic)
    colleague = Professional.create(clinic=clinic, email="bo@harbour.example", name="Bo Lind", password_hash="-")
    client = Client.create(clinic=clinic, email="kim@example.com", name="Kim", status="active")
    service = clinic.services.get()
    today = booking.utc_to_local(utcnow(), clinic.timezone).date()
    for round_ in range(ROUNDS):
        day = today + dt.timedelta(days=4 + round_)
        owners_session = appointments.book(
            clinic, owner, client, service, booking.local_to_utc(day, dt.time(9), clinic.timezone), 50, booked_by=owner
        )
        for_colleague = booking.local_to_utc(day, dt.time(14), clinic.timezone)
        booked, cancelled = race(
            app,
            lambda: appointments.book(clinic, colleague, client, service, for_colleague, 50, booked_by=owner),
            lambda: appointments.cancel(owners_session, Actor.PROFESSIONAL, professional=colleague),
        )
        assert (booked, cancelled) == ("done", "done"), round_
        assert Appointment.get_by_id(owners_session.id).cancelled_by_professional_id == colleague.id
        assert Appointment.get(Appointment.starts_at == for_colleague).professional_id == colleague.id

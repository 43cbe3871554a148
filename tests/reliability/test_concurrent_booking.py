"""Many professionals' screens booking one slot at once: exactly one session results."""

import datetime as dt

from frontdesk import appointments, booking
from frontdesk.models import Appointment, Client, Professional, utcnow

from .races import race

ATTEMPTS = 8


def test_concurrent_bookings_of_one_slot_make_exactly_one_session(app, clinic):
    owner = Professional.get(Professional.clinic == clinic)
    service = clinic.services.get()
    clients = [
        Client.create(clinic=clinic, email=f"c{n}@example.com", name=f"Client {n}", status="active")
        for n in range(ATTEMPTS)
    ]
    start = booking.local_to_utc(
        booking.utc_to_local(utcnow(), clinic.timezone).date() + dt.timedelta(days=2), dt.time(10, 0), clinic.timezone
    )
    # Each attempt overlaps every other one: the same start, or ten minutes later.
    starts = [start + dt.timedelta(minutes=10 * (n % 2)) for n in range(ATTEMPTS)]
    outcomes = race(
        app,
        *[
            lambda n=n: appointments.book(clinic, owner, clients[n], service, starts[n], 50, booked_by=owner)
            for n in range(ATTEMPTS)
        ],
    )

    assert sorted(outcomes) == sorted(["done"] + [booking.OVERLAP] * (ATTEMPTS - 1))
    assert Appointment.select().where(Appointment.professional == owner).count() == 1

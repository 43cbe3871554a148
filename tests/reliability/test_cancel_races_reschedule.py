"""A client's cancel and reschedule of one session, at once: exactly one of them happens."""

import datetime as dt

from frontdesk import appointments, booking
from frontdesk.models import Appointment, Client, Hub, Professional, utcnow
from frontdesk.states import Actor

from tests.app.offered_slots import offer_hours

from .races import race


def test_cancel_racing_reschedule_leaves_one_outcome(app, clinic):
    owner = Professional.get(Professional.clinic == clinic)
    client = Client.create(clinic=clinic, email="kim@example.com", name="Kim", status="active")
    offer_hours(owner, 10, 12)
    start = booking.local_to_utc(
        booking.utc_to_local(utcnow(), clinic.timezone).date() + dt.timedelta(days=4), dt.time(10), clinic.timezone
    )
    session = appointments.book(
        clinic,
        owner,
        client,
        clinic.services.get(),
        start,
        50,
        booked_by=None,
        channel="hub",
        hub=Hub.create(clinic=clinic, name="Hub"),
    )
    cancel, reschedule = race(
        app,
        lambda: appointments.cancel(session, Actor.CLIENT),
        lambda: appointments.reschedule(session, start + dt.timedelta(hours=2), Actor.CLIENT),
    )

    assert sorted([cancel, reschedule]) == sorted([booking.NOT_BOOKED, "done"])
    rows = list(Appointment.select().order_by(Appointment.id))
    if cancel == "done":
        assert [(r.status, r.cancel_reason) for r in rows] == [("cancelled", "")]
    else:
        assert [(r.status, r.cancel_reason) for r in rows] == [("cancelled", "rescheduled"), ("booked", "")]

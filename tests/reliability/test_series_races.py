"""Weekly series booked at the same moment: a double submit of one preview books one series, and of two series
wanting the same times exactly one is booked, whole, while the other books nothing at all."""

import datetime as dt

from frontdesk import appointments, booking, series
from frontdesk.form_nonces import AlreadySubmitted
from frontdesk.models import Appointment, Client, OutboxMessage, Professional, Series, new_nonce, utcnow

from .races import race


def weekly_starts(clinic, count=4):
    today = booking.utc_to_local(utcnow(), clinic.timezone).date()
    days = series.days(today + dt.timedelta(days=2), 1, today, count=count)
    return [booking.local_to_utc(day, dt.time(10), clinic.timezone) for day in days]


def book(clinic, client, starts, nonce):
    owner = Professional.get(Professional.clinic == clinic)
    return appointments.book_series(nonce, clinic, owner, client, clinic.services.get(), starts, 1, owner)


def test_a_double_submit_at_the_same_moment_books_one_series(app, clinic):
    kim = Client.create(clinic=clinic, email="kim@example.com", name="Kim Lee", status="active")
    starts, nonce = weekly_starts(clinic), new_nonce()
    repeated = []

    def submit():
        try:
            book(clinic, kim, starts, nonce)
        except AlreadySubmitted:
            repeated.append(True)

    assert race(app, submit, submit) == ["done", "done"]
    assert repeated == [True], "the second submit found the first one's nonce"
    assert Series.select().count() == 1
    assert Appointment.select().count() == 4


def test_of_two_series_wanting_the_same_times_one_is_booked_whole_and_the_other_not_at_all(app, clinic):
    kim = Client.create(clinic=clinic, email="kim@example.com", name="Kim Lee", status="active")
    noor = Client.create(clinic=clinic, email="noor@example.com", name="Noor", status="active")
    starts = weekly_starts(clinic)
    # Noor's series wants only the last of Kim's times: it still loses everything, or Kim's does.
    theirs = [start + dt.timedelta(days=1) for start in starts[:-1]] + [starts[-1]]
    outcomes = race(
        app,
        lambda: book(clinic, kim, starts, new_nonce()),
        lambda: book(clinic, noor, theirs, new_nonce()),
    )
    assert sorted(outcomes) == ["done", booking.OVERLAP]
    winner = kim if outcomes[0] == "done" else noor
    assert Series.select().count() == 1
    assert {a.client_id for a in Appointment.select()} == {winner.id}
    assert Appointment.select().count() == 4
    loser = noor if winner is kim else kim
    assert not OutboxMessage.select().where(OutboxMessage.to_address == loser.email).exists()

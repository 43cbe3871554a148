"""Load, nothing lost (issue 6): a bounded burst of request submissions and bookings of overlapping
slots against gunicorn on loopback. No 5xx; every 2xx has its row and its outbox emails; each slot is
booked once and every other attempt is told "just taken"; then two `frontdesk send-mail` processes
at once deliver each email exactly once to a real SMTP server."""

import collections

import pytest
from aiosmtpd.controller import Controller
from frontdesk.models import Appointment, Client, OutboxMessage, Request

from tests.conftest import Mailbox, free_port

from .conftest import (
    EVENT_ID,
    JUST_TAKEN,
    Stopwatch,
    check_no_overlaps,
    check_nothing_half_written,
    contested_slots,
    environment,
    finish,
    report,
    run_burst,
    visitor_email,
)

pytestmark = pytest.mark.load

REQUESTS = 60  # from 40 people: the first 20 send the form twice, both at the same moment
PEOPLE = 40


def person(n):
    return n // 2 if n < 40 else n - 20


SLOTS = 8  # slots each booked by 5 people at once
PER_SLOT = 5


def test_a_burst_of_requests_and_bookings_loses_nothing_and_mail_goes_out_once(
    site, app, clinic, database_url, tmp_path, send_mail
):
    clock = Stopwatch()
    starts = contested_slots(site.slots(), SLOTS)
    attempts = [(n, start) for n, start in enumerate(s for s in starts for _ in range(PER_SLOT))]
    # Every booker opens the details page first, so that the attempts at one slot are sent together.
    tokens = run_burst([lambda start=start: site.form_token(site.details_path(start)) for _, start in attempts])

    jobs = []
    for n in range(REQUESTS):
        jobs.append(("request", n, lambda n=n: site.submit_request(n, person(n))))
        if n % 3 == 0 and attempts:  # bookings interleaved with the requests, group after group
            for _ in range(2):
                if attempts:
                    number, start = attempts.pop(0)
                    jobs.append(
                        (
                            "booking",
                            (number, start),
                            lambda number=number, start=start: site.book(number, start, tokens[number]),
                        )
                    )
    while attempts:
        number, start = attempts.pop(0)
        jobs.append(
            ("booking", (number, start), lambda number=number, start=start: site.book(number, start, tokens[number]))
        )
    burst = Stopwatch()
    outcomes = run_burst([job for _, _, job in jobs])
    burst_seconds = burst()

    statuses = collections.Counter(status for status, _ in outcomes)
    assert not [s for s in statuses if s >= 500], f"5xx answers: {statuses}"

    # Requests: every 2xx has its row, and the outbox holds its emails.
    answered = [(what, body) for (kind, what, _), (status, body) in zip(jobs, outcomes) if kind == "request"]
    assert all(status == 200 for (kind, _, _), (status, _) in zip(jobs, outcomes) if kind == "request")
    request_ids = {int(EVENT_ID.search(body).group(1)) for _, body in answered}
    assert len(request_ids) == REQUESTS
    rows = {r.id: r for r in Request.select()}
    assert set(rows) == request_ids, "a 2xx request without its row, or a row nobody was told about"
    for n, body in answered:
        request = rows[int(EVENT_ID.search(body).group(1))]
        assert request.message == f"load test request {n}" and request.client.email == visitor_email(person(n))
    assert Client.select().where(Client.email.startswith("visitor")).count() == PEOPLE, "one client per email"

    # Bookings: exactly one session per slot, every loser told "just taken".
    booked = collections.defaultdict(list)
    for (kind, what, _), (status, body) in zip(jobs, outcomes):
        if kind != "booking":
            continue
        number, start = what
        if status == 200:
            appointment = Appointment.get_by_id(int(EVENT_ID.search(body).group(1)))
            assert appointment.client.email == f"booker{number}@load.example"
            assert appointment.starts_at.isoformat() == start
            booked[start].append(appointment)
        else:
            assert status == 409 and JUST_TAKEN in body, (status, body[-400:])
    assert sorted(booked) == starts and all(len(s) == 1 for s in booked.values()), {
        start: len(s) for start, s in booked.items()
    }
    assert Appointment.select().count() == SLOTS
    check_no_overlaps(site.owner)
    requests, sessions = check_nothing_half_written(clinic)
    queued = {m.message_id for m in OutboxMessage.select()}
    assert len(queued) == REQUESTS * 3 + SLOTS * 2

    # Delivery: two mail workers at once, each message exactly once.
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        env = environment(
            app,
            database_url,
            tmp_path / "mail-instance",
            FRONTDESK_MAIL_BACKEND="smtp",
            FRONTDESK_SMTP_HOST="127.0.0.1",
            FRONTDESK_SMTP_PORT=controller.port,
        )
        delivery = Stopwatch()
        workers = [send_mail(env), send_mail(env)]
        results = [finish(worker) for worker in workers]
        delivery_seconds = delivery()
        assert [code for code, _ in results] == [0, 0], results
        again = finish(send_mail(env))
        assert again == (0, "sent 0, failed 0"), again
    finally:
        controller.stop()
    received = collections.Counter(m["Message-ID"] for m in mailbox.messages)
    assert set(received) == queued and set(received.values()) == {1}, "an email lost or sent twice"
    assert OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).count() == 0

    report(
        "load",
        database=database_url.split(":")[0],
        requests=REQUESTS,
        people=PEOPLE,
        booking_attempts=SLOTS * PER_SLOT,
        sessions=len(sessions),
        statuses=dict(statuses),
        burst_s=burst_seconds,
        emails=len(received),
        mail_workers=[out for _, out in results],
        delivery_s=delivery_seconds,
        total_s=clock(),
    )

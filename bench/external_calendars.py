"""What external calendars cost the booking page: a professional with 10 external calendars of 1,000
events each, against the same page with none and against the floor page, in one run.

Run: `make bench` (or `.venv/bin/python bench/external_calendars.py [--feeds N] [--events N] [--repeat R]`).

A fresh SQLite database in a temporary folder gets a clinic whose owner works around the clock, and a
colleague who does too, with no calendars. An HTTP server on loopback (in this process) serves N iCalendar
documents of M one-hour events each, spread over the coming year at whole hours (some weekly series with an
exception among them, as real calendars have); the calendar worker's pass (`calendar_sync.sync_due`, what
`frontdesk sync-calendars` runs) fetches and stores them, and its time is printed. Then, through Flask's test
client (no HTTP), the floor page (bench/wsgi.py: one row and the error layout), the booking pages of the
colleague without calendars and of the owner with them, and the owner's week grid of each of the two (the
busy times drawn as blocks), are each opened R times, and the 14 days of slots each booking page shows are
computed on their own (availability.slots) R times, all taking turns in rounds; the figure is the median.
The page with calendars shows fewer slots (the busy ones are gone), so it may well be cheaper than the one
without: the slots alone say what the busy times cost.
Targets: with calendars at most 1.5 times without, for the booking page, the week grid and the slots. Exit
status 1 when missed.
"""

import argparse
import datetime
import random
import statistics
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from common import PASSWORD, all_week_hours, bench_clinic, instance, make_app, sign_in, timer
from wsgi import add_bench_routes

TARGET = 1.5


def documents(feeds, events, now):
    """`feeds` iCalendar documents of `events` busy hours each over the coming year; one in ten of each
    document's events is a weekly series of four with its second week removed."""
    rng = random.Random(14)
    bodies = []
    for feed in range(feeds):
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bench//External//EN"]
        for n in range(events):
            day = now.date() + datetime.timedelta(days=rng.randrange(365))
            start = datetime.datetime.combine(day, datetime.time(rng.randrange(7, 20)))
            stamp = start.strftime("%Y%m%dT%H%M%SZ")
            end = (start + datetime.timedelta(hours=1)).strftime("%Y%m%dT%H%M%SZ")
            lines += ["BEGIN:VEVENT", f"UID:bench-{feed}-{n}", "DTSTAMP:20260101T000000Z"]
            lines += [f"DTSTART:{stamp}", f"DTEND:{end}", "SUMMARY:Private"]
            if n % 10 == 0:
                removed = (start + datetime.timedelta(days=7)).strftime("%Y%m%dT%H%M%SZ")
                lines += ["RRULE:FREQ=WEEKLY;COUNT=4", f"EXDATE:{removed}"]
            lines += ["END:VEVENT"]
        bodies.append(("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode())
    return bodies


def serve(bodies):
    """An HTTP server on loopback answering /feed-<n>.ics; returns (server, thread)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = bodies[int(self.path.removeprefix("/feed-").removesuffix(".ics"))]
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def seed(app, feeds, events):
    """(owner's id, colleague's id, seconds the worker's pass took, busy rows stored)."""
    from frontdesk import calendar_sync, clinics
    from frontdesk.models import ExternalBusy, utcnow

    with app.app_context():
        clinic, owner = bench_clinic("Sync Clinic", "owner@sync.example")
        colleague = clinics.add_professional(clinic, "ben@sync.example", PASSWORD, name="Ben Okafor")
        all_week_hours(colleague)
        server, thread = serve(documents(feeds, events, utcnow()))
        try:
            port = server.server_address[1]
            for n in range(feeds):
                calendar_sync.add_calendar(owner, f"http://127.0.0.1:{port}/feed-{n}.ics", allow_loopback=True)
            began = timer()
            fetched, failed = calendar_sync.sync_due(calendar_sync.policy(app.config), every=datetime.timedelta(0))
            synced = timer() - began
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=30)
        assert (fetched, failed) == (feeds, 0), (fetched, failed)
        return owner.id, colleague.id, synced, ExternalBusy.select().count()


def actions(app, owner_id, colleague_id, feeds):
    """What is timed, by name: GET the floor page and both booking pages, and compute both 14-day slot lists."""
    from frontdesk import availability, urls
    from frontdesk.models import Professional, Service, utcnow

    client = app.test_client()
    sign_in(client, "owner@sync.example")  # the week grids are the owner's workstation pages

    def page(path):
        def get():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return get

    def slots(professional_id):
        def compute():
            with app.app_context():
                professional = Professional.get_by_id(professional_id)
                service = Service.get(Service.clinic == professional.clinic_id)
                today = utcnow().date()
                availability.slots(professional, service.duration_minutes, today, utcnow())

        return compute

    with app.app_context():
        paths = {p: urlsplit(urls.booking_link(Professional.get_by_id(p))).path for p in (owner_id, colleague_id)}
    return {
        "floor page": page("/bench/floor"),
        "booking page, no calendars": page(paths[colleague_id]),
        f"booking page, {feeds} calendars": page(paths[owner_id]),
        "week grid, no calendars": page(f"/workstation/sessions?who={colleague_id}"),
        f"week grid, {feeds} calendars": page(f"/workstation/sessions?who={owner_id}"),
        "slots, no calendars": slots(colleague_id),
        f"slots, {feeds} calendars": slots(owner_id),
    }


def measure(feeds, events, repeat, rounds=5):
    from frontdesk.db import database

    with instance() as folder:
        app = make_app(folder, FRONTDESK_CALENDAR_FETCH_ALLOW_LOOPBACK="1")
        add_bench_routes(app)
        owner_id, colleague_id, synced, stored = seed(app, feeds, events)
        timed = actions(app, owner_id, colleague_id, feeds)
        database.connect(reuse_if_open=True)
        samples = {name: [] for name in timed}
        for _ in range(rounds):
            for name, action in timed.items():
                action()  # warm-up
                for _ in range(max(repeat // rounds, 1)):
                    began = timer()
                    action()
                    samples[name].append(timer() - began)
        database.close()
        return {name: statistics.median(values) * 1000 for name, values in samples.items()}, synced, stored


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    figures, synced, stored = measure(args.feeds, args.events, args.repeat)
    print(
        f"Booking page with {args.feeds} external calendars of {args.events:,} events (SQLite, in-process, median "
        f"of {args.repeat}, pages alternating); the worker's pass fetched and stored them in {synced:.1f} s "
        f"({stored:,} busy times)"
    )
    floor = figures["floor page"]
    print(f"{'page':<34}{'ms':>8}{'vs floor':>10}")
    for name, ms in figures.items():
        print(f"{name:<34}{ms:>8.2f}{ms / floor:>10.2f}")
    ok = True
    for what in ("booking page", "week grid", "slots"):
        ratio = figures[f"{what}, {args.feeds} calendars"] / figures[f"{what}, no calendars"]
        met = ratio <= TARGET
        ok &= met
        print(f"{what}: with calendars / without {ratio:.2f}, target <= {TARGET} {'met' if met else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

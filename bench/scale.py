"""Whether the workstation's lists and the slot computation stay as fast with a long history: the same
pages timed on a clinic with 100 and with 100,000 requests, clients and sessions.

Run: `make bench` (or `.venv/bin/python bench/scale.py [--large N] [--repeat R]`).

For each size a fresh SQLite database in a temporary folder gets, by bulk inserts, N waiting requests
(each from its own waitlist client), N active clients and N sessions of one professional, twelve a day
going back from a Sunday five weeks ahead (so the large clinic has decades of history). Then, in one
process through Flask's test client (no HTTP), a signed-in owner opens each page R times; the figure
is the median. Slots are computed for the 14 days a client page shows. The target: large/small <= 1.5.
Exit status 1 when a target is missed.
"""

import argparse
import datetime
import re
import statistics
import sys

from common import PASSWORD, bench_clinic, chunked, instance, make_app, timer

TARGET = 1.5
PER_DAY = 12  # sessions a day, hourly from 08:00


def seed(app, size):
    from frontdesk.models import Appointment, Client, Request, Service, utcnow

    with app.app_context():
        clinic, professional = bench_clinic("Scale Clinic", "owner@scale.example")
        service = Service.get(Service.clinic == clinic)
        now = utcnow()
        clients = [
            {
                "clinic": clinic.id,
                "email": f"waiting{n}@scale.example",
                "name": f"Waiting {n:06d}",
                "status": "waitlist",
                "dashboard_nonce": f"w{n}",
                "created_at": now,
            }
            for n in range(size)
        ]
        clients += [
            {
                "clinic": clinic.id,
                "email": f"client{n}@scale.example",
                "name": f"Client {n:06d}",
                "status": "active",
                "dashboard_nonce": f"c{n}",
                "created_at": now,
            }
            for n in range(size)
        ]
        for chunk in chunked(clients, 2000):
            Client.insert_many(chunk).execute()
        waiting = [c.id for c in Client.select(Client.id).where(Client.status == "waitlist").order_by(Client.id)]
        active = [c.id for c in Client.select(Client.id).where(Client.status == "active").order_by(Client.id)]
        requests = [
            {
                "clinic": clinic.id,
                "client": client_id,
                "service": service.id if n % 2 else None,
                "message": "Bulk request",
                "answers": "[]",
                "status": "pending",
                "created_at": now - datetime.timedelta(minutes=n),
            }
            for n, client_id in enumerate(waiting)
        ]
        for chunk in chunked(requests, 2000):
            Request.insert_many(chunk).execute()
        # Sessions: twelve a day, newest on the anchor Sunday, going back day by day.
        today = now.date()
        anchor = today + datetime.timedelta(days=35 + (6 - today.weekday()))
        sessions = []
        for n in range(size):
            day = anchor - datetime.timedelta(days=n // PER_DAY)
            start = datetime.datetime.combine(day, datetime.time(8 + n % PER_DAY))
            sessions.append(
                {
                    "clinic": clinic.id,
                    "professional": professional.id,
                    "client": active[n % len(active)],
                    "service": service.id,
                    "starts_at": start,
                    "ends_at": start + datetime.timedelta(minutes=50),
                    "status": "booked",
                    "channel": "direct",
                    "uid": f"bench-{n}@frontdesk",
                    "manage_nonce": f"m{n}",
                    "created_at": now,
                }
            )
        for chunk in chunked(sessions, 2000):
            Appointment.insert_many(chunk).execute()
        return clinic.id, professional.id, service.id, anchor


def login(client):
    page = client.get("/workstation/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/workstation/login", data={"email": "owner@scale.example", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code


def prepare(folder, size):
    """(actions by name, seconds the seeding took, the database) for a clinic of `size`."""
    from frontdesk import availability
    from frontdesk.db import database
    from frontdesk.models import Professional, Service

    app = make_app(folder)
    began = timer()
    _, professional_id, service_id, anchor = seed(app, size)
    seeded = timer() - began
    client = app.test_client()
    database.connect(reuse_if_open=True)
    login(client)
    week = (anchor - datetime.timedelta(days=3)).isoformat()

    def page(path):
        def get():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return get

    def compute_slots():
        with app.app_context():
            professional = Professional.get_by_id(professional_id)
            service = Service.get_by_id(service_id)
            first_day = anchor - datetime.timedelta(days=13)
            # "Now" the day before: every slot of the fortnight is inside the notice and the horizon.
            now = datetime.datetime.combine(first_day - datetime.timedelta(days=1), datetime.time())
            availability.slots(professional, service.duration_minutes, first_day, now)

    actions = {
        "waitlist page": page("/workstation/requests"),
        "clients page": page("/workstation/clients"),
        "calendar week": page(f"/workstation/sessions?day={week}"),
        "slots, 14 days": compute_slots,
    }
    return actions, seeded, database.obj


def measure(sizes, repeat, rounds=5):
    """Median milliseconds per action and size. Both databases stay open and the sizes take turns in
    short rounds, so that whatever else the machine is doing slows both alike."""
    from frontdesk.db import database

    with instance() as small_folder, instance() as large_folder:
        prepared = {size: prepare(folder, size) for size, folder in zip(sizes, (small_folder, large_folder))}
        samples = {size: {name: [] for name in prepared[size][0]} for size in sizes}
        for _ in range(rounds):
            for size in sizes:
                actions, _, db = prepared[size]
                database.initialize(db)
                for name, action in actions.items():
                    action()  # warm-up: templates compiled, caches filled, pages in memory
                    for _ in range(max(repeat // rounds, 1)):
                        began = timer()
                        action()
                        samples[size][name].append(timer() - began)
        figures = {
            size: {name: statistics.median(values) * 1000 for name, values in samples[size].items()} for size in sizes
        }
        return figures, {size: prepared[size][1] for size in sizes}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    figures, seeded = measure((args.small, args.large), args.repeat)
    small, large = figures[args.small], figures[args.large]
    print(
        f"Workstation at {args.small:,} and {args.large:,} requests, clients and sessions (SQLite, in-process, "
        f"median of {args.repeat}, sizes alternating; seeding took {seeded[args.small]:.1f} s and "
        f"{seeded[args.large]:.1f} s)"
    )
    print(f"{'page':<20}{f'{args.small:,} ms':>12}{f'{args.large:,} ms':>14}{'large/small':>13}  target <= {TARGET}")
    ok = True
    for name in small:
        ratio = large[name] / small[name]
        met = ratio <= TARGET
        ok &= met
        print(f"{name:<20}{small[name]:>12.2f}{large[name]:>14.2f}{ratio:>13.2f}  {'met' if met else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

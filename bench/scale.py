"""Whether the workstation stays as fast with a long history: its pages timed on a clinic with 100 and with
100,000 requests, clients and sessions, on SQLite and on PostgreSQL, each beside the floor page.

Run: `make bench` (or `.venv/bin/python bench/scale.py [--large N] [--repeat R]`; PostgreSQL too when
FRONTDESK_BENCH_DATABASE_URL or FRONTDESK_TEST_DATABASE_URL names a server: a database of its own per size,
dropped afterwards).

For each size a fresh database gets, by bulk inserts, N waiting requests (each from its own waitlist client,
one in five for the clinic, the others for one of four professionals, one every half hour going back years),
N active clients and N sessions, twelve a day per professional going back from a Sunday five weeks ahead
(about six years at 100,000). Then, in one process through Flask's test client (no HTTP), a signed-in owner
and a signed-in professional open each page R times; the figure is the median. Each page is also given as a
multiple of the floor page (bench/wsgi.py: one row read, the error page's layout) timed in the same rounds, and
with the statements it sends at the large size (BEGIN and COMMIT included).
The target: large/small <= 1.5 on each database. Exit status 1 when a target is missed.
"""

import argparse
import contextlib
import datetime
import statistics
import sys

from common import (
    PASSWORD,
    ROOT,
    bench_clinic,
    chunked,
    instance,
    make_app,
    postgres_database,
    postgres_server,
    quick_hash,
    sign_in,
    timer,
)

sys.path.insert(0, str(ROOT / "bench"))
from statements import Statements  # noqa: E402
from wsgi import add_bench_routes  # noqa: E402

TARGET = 1.5
PER_DAY = 12  # sessions a day per professional, hourly from 08:00
COLLEAGUES = 3  # professionals beside the owner
OWNER, PROFESSIONAL = "owner@scale.example", "pro1@scale.example"


def seed(app, size):
    """Bulk-insert the clinic's history; returns (an active client's id with a session, the grid's anchor day)."""
    from frontdesk.db import database, is_postgres
    from frontdesk.models import Appointment, Client, Professional, Request, Service, utcnow

    with app.app_context():
        clinic, owner = bench_clinic("Scale Clinic", OWNER)
        service = Service.get(Service.clinic == clinic)
        team = [owner.id] + [
            Professional.create(
                clinic=clinic, email=f"pro{n}@scale.example", name=f"Pro {n}", password_hash=quick_hash(PASSWORD)
            ).id
            for n in range(1, COLLEAGUES + 1)
        ]
        now = utcnow()
        for status, prefix in (("waitlist", "waiting"), ("active", "client")):
            rows = [
                {
                    "clinic": clinic.id,
                    "email": f"{prefix}{n}@scale.example",
                    "name": f"{prefix.title()} {n:06d}",
                    "status": status,
                    "dashboard_nonce": f"{prefix}{n}",
                    "created_at": now,
                }
                for n in range(size)
            ]
            for chunk in chunked(rows, 2000):
                Client.insert_many(chunk).execute()
        ids = {
            status: [c.id for c in Client.select(Client.id).where(Client.status == status).order_by(Client.id)]
            for status in ("waitlist", "active")
        }
        requests = [
            {
                "clinic": clinic.id,
                "client": client_id,
                "service": service.id if n % 2 else None,
                "professional": None if n % 5 == 0 else team[n % len(team)],
                "message": "Bulk request",
                "answers": "[]",
                "status": "pending",
                "created_at": now - datetime.timedelta(minutes=30 * n),
            }
            for n, client_id in enumerate(ids["waitlist"])
        ]
        for chunk in chunked(requests, 2000):
            Request.insert_many(chunk).execute()
        # Sessions: twelve a day per professional, newest on the anchor Sunday, going back day by day.
        today = now.date()
        anchor = today + datetime.timedelta(days=35 + (6 - today.weekday()))
        per_day = PER_DAY * len(team)
        sessions = []
        for n in range(size):
            day = anchor - datetime.timedelta(days=n // per_day)
            start = datetime.datetime.combine(day, datetime.time(8 + n % PER_DAY))
            sessions.append(
                {
                    "clinic": clinic.id,
                    "professional": team[(n // PER_DAY) % len(team)],
                    "client": ids["active"][n % len(ids["active"])],
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
        if is_postgres():
            # What autovacuum does to a database that grew over years: the planner's statistics. Without them,
            # right after a bulk load, PostgreSQL plans the waitlist badly (831 ms at 100,000).
            database.execute_sql("ANALYZE")
        return ids["active"][len(ids["active"]) // 2], anchor


def csrf_of(client, path):
    page = client.get(path).get_data(as_text=True)
    return page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]


def prepare(folder, size, **extra):
    """(actions by name, seconds the seeding took, the database) for a clinic of `size`."""
    from frontdesk.db import database

    app = make_app(folder, **extra)
    add_bench_routes(app)
    began = timer()
    client_id, anchor = seed(app, size)
    seeded = timer() - began
    owner, professional = app.test_client(), app.test_client()
    database.connect(reuse_if_open=True)
    sign_in(owner, OWNER)
    sign_in(professional, PROFESSIONAL)
    # One client's full name: a match found only by reading every name.
    search = {"q": f"Client {size // 2:06d}", "page": "1", "csrf_token": csrf_of(owner, "/workstation/clients")}
    week = (anchor - datetime.timedelta(days=3)).isoformat()

    def page(who, path, data=None):
        def get():
            response = who.post(path, data=data) if data else who.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return get

    actions = {
        "floor page": page(owner, "/bench/floor"),
        "week, everyone": page(owner, f"/workstation/sessions?day={week}&who=all"),
        "week, own": page(professional, f"/workstation/sessions?day={week}"),
        "waitlist": page(owner, "/workstation/requests"),
        "waitlist, own": page(professional, "/workstation/requests"),
        "clients": page(owner, "/workstation/clients"),
        "clients, own": page(professional, "/workstation/clients"),
        "clients search": page(owner, "/workstation/clients/search", search),
        "client record": page(owner, f"/workstation/clients/{client_id}"),
    }
    return actions, seeded, database.obj


def statement_counts(actions, db):
    """Statements each page sends, counted once (SQLite through its trace callback, psycopg through its cursor)."""
    import peewee
    from frontdesk.db import database

    counter, counts = Statements(), {}
    database.initialize(db)
    for name, action in actions.items():
        action()
        sqlite = isinstance(db, peewee.SqliteDatabase)
        if sqlite:
            database.connect(reuse_if_open=True)
            database.connection().set_trace_callback(counter.record)
        counter.words.clear()
        with counter.watching():
            action()
        counts[name] = sum(counter.words.values())
        if sqlite:
            database.connection().set_trace_callback(None)
    return counts


def measure(sizes, repeat, rounds=5, **extra):
    """Median milliseconds per page and size, and statements per page at the largest. Both databases stay
    open and the sizes take turns in short rounds, so that whatever else the machine is doing slows both
    alike."""
    from frontdesk.db import database

    with instance() as small_folder, instance() as large_folder, contextlib.ExitStack() as stack:
        urls = [stack.enter_context(postgres_database(extra["server"])) for _ in sizes] if extra else [None, None]
        prepared = {}
        for size, folder, url in zip(sizes, (small_folder, large_folder), urls):
            prepared[size] = prepare(folder, size, **({"FRONTDESK_DATABASE_URL": url} if url else {}))
            database.close()
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
        counts = statement_counts(*prepared[sizes[-1]][::2])
        for _, _, db in prepared.values():
            db.close_all() if hasattr(db, "close_all") else db.close()
        figures = {
            size: {name: statistics.median(values) * 1000 for name, values in samples[size].items()} for size in sizes
        }
        return figures, {size: prepared[size][1] for size in sizes}, counts


def report(label, sizes, repeat, figures, seeded, counts):
    """Print one database's table; True when every page met the target."""
    small, large = (figures[size] for size in sizes)
    print(
        f"{label}: workstation at {sizes[0]:,} and {sizes[1]:,} requests, clients and sessions (in-process, median "
        f"of {repeat}, sizes alternating; seeding took {seeded[sizes[0]]:.1f} s and {seeded[sizes[1]]:.1f} s)"
    )
    print(
        f"{'page':<17}{f'{sizes[0]:,} ms':>10}{f'{sizes[1]:,} ms':>13}{'× floor':>9}{'statements':>12}"
        f"{'large/small':>13}  target <= {TARGET}"
    )
    ok = True
    for name in small:
        ratio = large[name] / small[name]
        met = name == "floor page" or ratio <= TARGET
        ok &= met
        print(
            f"{name:<17}{small[name]:>10.2f}{large[name]:>13.2f}{large[name] / large['floor page']:>9.1f}"
            f"{counts[name]:>12}{ratio:>13.2f}  {'met' if met else 'MISSED'}"
        )
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    sizes = (args.small, args.large)

    ok = report("SQLite", sizes, args.repeat, *measure(sizes, args.repeat))
    server = postgres_server()
    if server:
        print()
        ok &= report("PostgreSQL", sizes, args.repeat, *measure(sizes, args.repeat, server=server))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

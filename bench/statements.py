"""Statements each hot request sends to the database, and where its in-process time goes.

Run: `.venv/bin/python bench/statements.py [--profile N]` (PostgreSQL too when FRONTDESK_BENCH_DATABASE_URL
or FRONTDESK_TEST_DATABASE_URL names a server). The requests go through Flask's test client against the
seeded clinic of bench/http_ratio.py; every statement the driver runs is counted (SQLite through its trace
callback, psycopg through its cursor), BEGIN and COMMIT included: on PostgreSQL each is a round trip.
`--sql` prints each statement; `--only WORD…` keeps the requests whose name holds one; `--profile N`
also prints cProfile's top N functions (cumulative) over 200 of each request, `--time N` the process's CPU
time per request over N of each (this process serves them all: the test client, the app and SQLite). It reports
and sets no target: it is for choosing what to cut.
"""

import argparse
import collections
import contextlib
import cProfile
import io
import pstats
import sys
import time

from common import ROOT, instance, make_app, postgres_database, postgres_server

sys.path.insert(0, str(ROOT / "bench"))
from http_ratio import seed  # noqa: E402


class Statements:
    """Statements run while watching, by their first word."""

    def __init__(self, show=False):
        self.words = collections.Counter()
        self.show = show
        self.last = None

    def record(self, sql):
        """Count one statement the app sent. SQLite's trace also reports those it runs for itself, which cost no
        round trip: a trigger's or an FTS5 table's own (shown as "-- …", or, where Python expands the statement's
        values, as the write that fired them once more, so a write repeating the last one is not counted), and the
        FTS5 table's reads of its configuration (on 'main'.'…', quoted as no statement of the app's is)."""
        sql = sql if isinstance(sql, str) else sql.decode() if isinstance(sql, bytes) else repr(sql)
        if sql.startswith("--") or "'main'." in sql:
            return
        word = sql.split(None, 1)[0].upper()
        if sql == self.last and word in ("INSERT", "UPDATE", "DELETE"):
            return
        self.last = sql
        self.words[word] += 1
        if self.show:
            print("   ", sql[:160])

    @contextlib.contextmanager
    def watching(self):
        """Count psycopg's statements (SQLite's come through `trace`, set on its connection)."""
        import psycopg

        real = psycopg.Cursor.execute

        def execute(cursor, query, *args, **kwargs):
            self.record(query)
            return real(cursor, query, *args, **kwargs)

        psycopg.Cursor.execute = execute
        try:
            yield self
        finally:
            psycopg.Cursor.execute = real


def hot_requests(seeded):
    """(name, method, path, bodies) of the requests that matter."""
    return [
        ("request form GET /r/…", "GET", seeded["request"], None),
        ("request form POST /r/…", "POST", seeded["request"], iter(seeded["request_bodies"])),
        ("booking calendar GET /b/…", "GET", seeded["booking"].removesuffix("/book"), None),
        ("booking POST /b/…/book", "POST", seeded["booking"], iter(seeded["booking_bodies"])),
        ("manage page GET /m/…", "GET", seeded["manage"], None),
        ("workstation waitlist GET", "GET", "/workstation/requests", None),
        ("workstation client record GET", "GET", seeded["client_record"], None),
    ]


def one(client, method, path, bodies):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    response = client.get(path) if method == "GET" else client.post(path, data=next(bodies), headers=headers)
    assert response.status_code in (200, 303), (path, response.status_code, response.get_data(as_text=True)[-3000:])


def run(label, app, seeded, args):
    from frontdesk import db

    counter = Statements(args.sql)
    client = app.test_client()
    name, value = seeded["member_cookie"].split("=", 1)
    client.set_cookie(name, value)  # the workstation pages are a signed-in owner's
    print(f"== {label}")
    for name, method, path, bodies in hot_requests(seeded):
        if args.only and not any(word in name for word in args.only):
            continue
        one(client, method, path, bodies)  # warm: templates compiled, pool filled
        with app.app_context():
            db.database.connect(reuse_if_open=True)
            if not db.is_postgres():
                db.database.connection().set_trace_callback(counter.record)
            db.release() if db.is_postgres() else None
        counter.words.clear()
        with counter.watching():
            one(client, method, path, bodies)
        print(f"{name}: {sum(counter.words.values())} statements ({dict(counter.words)})")
        if args.time:
            began = time.process_time()
            for _ in range(args.time):
                one(client, method, path, bodies)
            each = (time.process_time() - began) / args.time * 1000
            print(f"    {each:.2f} ms of CPU a request ({args.time} requests)")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(200):
                one(client, method, path, bodies)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(*args.sort).print_stats(args.profile)
            print(out.getvalue())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--sort", nargs="+", default=["cumulative"], help="the profile's order (pstats keys)")
    parser.add_argument("--sql", action="store_true", help="print each statement counted")
    parser.add_argument("--time", type=int, default=0, metavar="N", help="also the CPU time of N of each request")
    parser.add_argument(
        "--only", nargs="*", default=(), metavar="WORD", help="only the requests whose name holds a word"
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        app = make_app(stack.enter_context(instance()))
        run("SQLite", app, seed(app, 1000), args)
        server_url = postgres_server()
        if server_url:
            url = stack.enter_context(postgres_database(server_url))
            app = make_app(stack.enter_context(instance()), FRONTDESK_DATABASE_URL=url)
            run("PostgreSQL", app, seed(app, 1000), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

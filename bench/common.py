"""Shared by the benchmarks: a throwaway instance folder, the app bound to it, and seeding helpers.

Benchmarks never touch instance/: each run builds its own SQLite database in a temporary folder, and
on PostgreSQL (when FRONTDESK_BENCH_DATABASE_URL or FRONTDESK_TEST_DATABASE_URL names a server) a
database of its own, and removes them afterwards.
"""

import contextlib
import datetime
import os
import pathlib
import statistics
import sys
import tempfile
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SECRET = "bench-secret-key-not-for-production"
PASSWORD = "bench-password"


def bench_environment(instance_path, **extra):
    """Environment for an app under benchmark: its own instance folder and key, the file mail backend,
    and the public-form guards relaxed (no minimum fill time, no rate limit) so a load generator is not
    turned away as a bot. Everything else is as in production."""
    env = dict(os.environ)
    env.update(
        {
            "FRONTDESK_INSTANCE_PATH": str(instance_path),
            "FRONTDESK_SECRET_KEYS": SECRET,
            "FRONTDESK_BASE_URL": "http://127.0.0.1",
            "FRONTDESK_MAIL_BACKEND": "file",
            "FRONTDESK_FORM_MIN_SECONDS": "0",
            "FRONTDESK_PUBLIC_FORM_RATE_LIMIT": "1000000 per minute",
            "FRONTDESK_LOGIN_RATE_LIMIT": "1000000 per minute",
            "FRONTDESK_SELF_BOOKINGS_PER_NETWORK": "1000000 per day",
            "FRONTDESK_SELF_BOOKINGS_PER_LINK": "1000000 per day",
        }
    )
    env.pop("FRONTDESK_DATABASE_URL", None)
    env.update(extra)
    return env


def postgres_server():
    """The PostgreSQL server URL the benchmarks may create a database on, or None."""
    return os.environ.get("FRONTDESK_BENCH_DATABASE_URL") or os.environ.get("FRONTDESK_TEST_DATABASE_URL")


@contextlib.contextmanager
def postgres_database(server_url):
    """The URL of a fresh database on `server_url`, dropped afterwards (even with connections left)."""
    from frontdesk.db import open_database

    name = f"frontdesk_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = open_database(server_url, None)

    def run(statement):
        admin.connect(reuse_if_open=True)
        admin.execute_sql(statement)
        admin.close()

    run(f"CREATE DATABASE {name}")
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def instance(prefix="frontdesk-bench-"):
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield pathlib.Path(folder)


def make_app(instance_path, **extra):
    """create_app() on a fresh, migrated database: SQLite in `instance_path`, or the
    FRONTDESK_DATABASE_URL given in `extra`."""
    os.environ.pop("FRONTDESK_DATABASE_URL", None)
    os.environ.update(bench_environment(instance_path, **extra))
    from frontdesk import create_app, db

    app = create_app()
    with app.app_context():
        db.database.connect(reuse_if_open=True)
        db.upgrade()
        db.database.close()
    return app


def quick_hash(password):
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method="pbkdf2:sha256:1")


def all_week_hours(professional):
    """Working hours from 00:00 to 23:59 every day, so there are free slots whatever the time is."""
    from frontdesk.models import WorkingHours

    WorkingHours.insert_many(
        [
            {
                "professional": professional.id,
                "weekday": day,
                "opens": datetime.time(0),
                "closes": datetime.time(23, 59),
            }
            for day in range(7)
        ]
    ).execute()


def bench_clinic(name, owner_email, timezone="Europe/London", **fields):
    """(clinic, owner) in an app context: the owner bookable around the clock, the password hashed with
    one round so that seeding does not wait on it."""
    from frontdesk import clinics
    from frontdesk.models import Professional

    clinics.generate_password_hash = quick_hash
    clinic = clinics.create_clinic(name, owner_email, PASSWORD, timezone=timezone, **fields)
    owner = Professional.get(Professional.email == owner_email)
    all_week_hours(owner)
    return clinic, owner


def chunked(rows, size=5000):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def summary(latencies):
    """(p50, p99) in milliseconds."""
    ordered = sorted(latencies)
    if not ordered:
        return float("nan"), float("nan")
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p99 * 1000


def timer():
    return time.perf_counter()


def sign_in(client, email):
    """Sign the test `client` in to the workstation as `email` (password PASSWORD), as a browser would."""
    login = client.get("/workstation/login").get_data(as_text=True)
    csrf = login.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    signed_in = client.post("/workstation/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf})
    assert signed_in.status_code == 302, f"the bench's {email} could not sign in"

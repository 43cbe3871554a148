"""A real gunicorn server on loopback against the test's database, clients that fill in its public
forms as browsers do (GET the form for its token, then POST), `frontdesk send-mail` as its own
process, and the checks that nothing was lost or half written.

The server runs on the `app` fixture's database (SQLite file or the per-run PostgreSQL database) with
the same signing keys, so the test process reads and writes the rows the server sees.
"""

import collections
import http.client
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from frontdesk import urls
from frontdesk.models import Appointment, Client, Clinic, OutboxMessage, Professional, Request, Service, UsedFormToken

from tests.app.booking_fixtures import owner_of, work_every_day
from tests.conftest import free_port
from tests.pages import form_token, slot_starts
from tests.processes import DEADLINE, children, wait_until

BIN = os.path.dirname(sys.executable)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EVENT_ID = re.compile(r'data-frontdesk-id="(\d+)"')
JUST_TAKEN = "Sorry, that time was just taken. Please choose another."
RECEIVED = "We received your request to Harbour Counselling"
BOOKED = "Your session with Harbour Counselling is booked"
MOVED = "Your session with Harbour Counselling was rescheduled"
RESCHEDULED = "rescheduled"
STAFF_EMAIL = "rowan@harbour.example"


def visitor_email(person):
    return f"visitor{person}@load.example"


def path_of(url):
    return urllib.parse.urlsplit(url).path


def environment(app, database_url, instance, **extra):
    """The settings a server or a mail worker gets: only FRONTDESK_* variables, none inherited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_DATABASE_URL=database_url,
        FRONTDESK_INSTANCE_PATH=str(instance),
        FRONTDESK_SECRET_KEYS=",".join(app.config["SECRET_KEYS"]),
        FRONTDESK_BASE_URL=app.config["BASE_URL"],
        FRONTDESK_FORM_MIN_SECONDS="0",
        FRONTDESK_RATELIMIT_STORAGE="memory://",
        # Every request of a burst comes from 127.0.0.1: the per-address limit is not what is tested here.
        FRONTDESK_PUBLIC_FORM_RATE_LIMIT="100000 per minute",
        FRONTDESK_SELF_BOOKINGS_PER_NETWORK="100000 per day",
        FRONTDESK_SELF_BOOKINGS_PER_LINK="100000 per day",
        FRONTDESK_MAIL_BACKEND="file",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Gunicorn:
    """`gunicorn -w 3 -k gthread --threads 4 'frontdesk:create_app()'` on 127.0.0.1:<free port>."""

    WORKERS = 3

    def __init__(self, processes, env, log_path):
        self.port = free_port()
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.process = processes.start(
            [
                os.path.join(BIN, "gunicorn"),
                "-w",
                str(self.WORKERS),
                "-k",
                "gthread",
                "--threads",
                "4",
                "-b",
                f"127.0.0.1:{self.port}",
                "--graceful-timeout",
                "5",
                "frontdesk:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def workers(self):
        """The worker processes' ids, as the master's children."""
        return children(self.process.pid)

    def wait_ready(self, path):
        """Until `path` answers 200 and all workers are up; fails with gunicorn's log if it ends first or a
        busy machine's generous deadline passes."""

        def ready():
            assert self.process.poll() is None, "gunicorn ended:\n" + self.log_tail()
            try:
                return call(self.port, "GET", path, timeout=10)[0] == 200 and len(self.workers()) == self.WORKERS
            except (OSError, http.client.HTTPException):
                return False

        wait_until(ready, interval=0.1, message="gunicorn did not start")

    def log_tail(self):
        return self.log_path.read_bytes().decode(errors="replace")[-3000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


def call(port, method, path, fields=None, timeout=30):
    """One HTTP exchange on a connection of its own: (status, body text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        body = urllib.parse.urlencode(fields) if fields is not None else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


class Site:
    """The clinic's public pages on the running server, and the people who fill them in."""

    def __init__(self, server, clinic):
        self.server = server
        self.clinic = clinic
        self.owner = owner_of(clinic)
        self.service = Service.get(Service.clinic == clinic)
        self.request_path = path_of(urls.request_link(clinic))
        self.booking_path = path_of(urls.booking_link(self.owner))

    def form_token(self, path):
        status, body = call(self.server.port, "GET", path)
        assert status == 200, (status, path, body[-500:])
        return form_token(body)

    def submit_request(self, n, person):
        """Open the request form and send it as submission `n` of person `person` (a person may send
        more than one): (status, body)."""
        token = self.form_token(self.request_path)
        return call(
            self.server.port,
            "POST",
            self.request_path,
            {
                "form_token": token,
                "website": "",
                "name": f"Load Visitor {person}",
                "email": visitor_email(person),
                "message": f"load test request {n}",
            },
        )

    def slots(self):
        status, body = call(self.server.port, "GET", self.booking_path)
        assert status == 200
        return slot_starts(body)

    def details_path(self, start):
        return f"{self.booking_path}/book?service={self.service.id}&start={urllib.parse.quote(start)}"

    def book(self, n, start, token=None):
        """Book `start` (ISO text as the page lists it) as booker `n`: (status, body)."""
        path = self.details_path(start)
        token = token or self.form_token(path)
        return call(
            self.server.port,
            "POST",
            path,
            {
                "form_token": token,
                "website": "",
                "start": start,
                "name": f"Load Booker {n}",
                "email": f"booker{n}@load.example",
            },
        )

    def reschedule(self, manage_path, start):
        """Move a session from its manage link to `start`: (status, body)."""
        path = manage_path + "/reschedule"
        token = self.form_token(path)
        return call(
            self.server.port, "POST", path, {"form_token": token, "website": "", "start": start, "confirm": "1"}
        )


@pytest.fixture
def site(app, clinic, database_url, tmp_path, processes):
    """The clinic (owner Ada and staff member Rowan, both emailed about each request; Ada bookable every
    day 09:00–17:00) served by gunicorn on loopback."""
    Professional.create(clinic=clinic, email=STAFF_EMAIL, name="Rowan Ellis", password_hash="x")
    work_every_day(owner_of(clinic))
    # Starts on the hour: 50-minute sessions then never overlap, so every offered start can be booked on its own.
    Clinic.update(slot_grid_minutes=60).where(Clinic.id == clinic.id).execute()
    env = environment(app, database_url, tmp_path / "server-instance")
    server = Gunicorn(processes, env, tmp_path / "gunicorn.log")
    site = Site(server, clinic)
    try:
        server.wait_ready(site.request_path)
        yield site
    finally:
        server.stop()


def run_burst(jobs, threads=16, pace=0.0):
    """Run the jobs (callables) from `threads` threads, job n starting no sooner than n × `pace` seconds
    in (so a burst lasts long enough for what happens during it); results in job order."""
    started = time.monotonic()

    def run(numbered):
        n, job = numbered
        delay = started + n * pace - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        return job()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, enumerate(jobs)))


def contested_slots(starts, count, skip=6):
    """`count` offered starts, leaving out the first few (which might pass while the test runs)."""
    if len(starts) < skip + count:
        pytest.fail(f"the booking page offered only {len(starts)} slots")
    return starts[skip : skip + count]


@pytest.fixture
def send_mail(processes):
    """Starts one `frontdesk send-mail` pass with the settings given: `send_mail(env)`."""

    def start(env):
        return processes.start(
            [os.path.join(BIN, "frontdesk"), "send-mail"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )

    return start


def finish(process, timeout=DEADLINE):
    """(exit code, the pass's summary line "sent N, failed M…"), whatever else the process printed."""
    output, _ = process.communicate(timeout=timeout)
    lines = [line for line in output.decode(errors="replace").splitlines() if line.startswith("sent ")]
    return process.returncode, lines[-1] if lines else output.decode(errors="replace")


def professionals_of(clinic):
    return list(Professional.select().where(Professional.clinic == clinic).order_by(Professional.id))


def check_nothing_half_written(clinic, formless=()):
    """Every request has its client and its emails (one to the client, one to each professional); every
    session its two confirmations; every session moved by a reschedule its successor and the two
    "moved" emails; every used form token its request or session (all but `formless`, the ids of the
    sessions the test made itself, came through a form, or through a reschedule); and the outbox holds
    nothing else."""
    messages = list(OutboxMessage.select())
    sent = collections.Counter((m.to_address, m.subject) for m in messages)
    # The team's emails name nobody, so they are told apart by the client they are about.
    about = collections.Counter((m.to_address, m.subject, m.client_id) for m in messages)
    professionals = professionals_of(clinic)
    requests = list(Request.select().where(Request.clinic == clinic))
    asked = collections.Counter()
    for request in requests:
        client = Client.get_or_none(Client.id == request.client_id)
        assert client is not None, f"request {request.id} has no client"
        asked[client] += 1
    for client, count in asked.items():
        assert sent[(client.email, RECEIVED)] == count, f"{client.email}: {count} requests"
        for professional in professionals:
            assert about[(professional.email, "New request", client.id)] == count, (
                f"{client.email}: {count} requests, other count of emails to {professional.email}"
            )

    appointments = list(Appointment.select().where(Appointment.clinic == clinic))
    booked, moved = collections.Counter(), collections.Counter()
    for appointment in appointments:
        key = (appointment.client, appointment.professional.email)
        booked[key] += 1
        if appointment.status == "cancelled":
            assert appointment.cancel_reason == RESCHEDULED and appointment.rescheduled_to is not None, (
                f"session {appointment.id} cancelled without being moved"
            )
            successor = Appointment.get_by_id(appointment.rescheduled_to_id)
            assert (successor.client_id, successor.professional_id) == (
                appointment.client_id,
                appointment.professional_id,
            )
            moved[key] += 1
    for (client, professional_email), count in booked.items():
        assert sent[(client.email, BOOKED)] == count, f"{client.email}: {count} sessions"
        assert about[(professional_email, "A session was booked", client.id)] == count, (
            f"{client.email}: {count} sessions, other count of emails to {professional_email}"
        )
    for (client, professional_email), count in moved.items():
        assert sent[(client.email, MOVED)] == count, f"{client.email}: {count} moves"
        assert about[(professional_email, "A session was rescheduled", client.id)] == count
    successors = {a.rescheduled_to_id for a in appointments if a.rescheduled_to_id}
    by_form = [a for a in appointments if a.id not in successors and a.id not in set(formless)]
    assert UsedFormToken.select().count() == len(requests) + len(by_form), (
        "a used form token without its request or session (or one without its token)"
    )
    assert len(messages) == (
        len(requests) * (1 + len(professionals)) + 2 * len(appointments) + 2 * sum(moved.values())
    ), "the outbox holds emails of nothing"
    return requests, appointments


def check_no_overlaps(professional):
    booked = sorted(
        (a.starts_at, a.ends_at)
        for a in Appointment.select().where(Appointment.professional == professional, Appointment.status == "booked")
    )
    for (_, end), (start, _) in zip(booked, booked[1:]):
        assert start >= end, "two booked sessions overlap"


class Stopwatch:
    def __init__(self):
        self.started = time.monotonic()

    def __call__(self):
        return round(time.monotonic() - self.started, 2)


def report(name, **figures):
    """Figures printed for `pytest -s` and kept in the junit/terminal output on failure."""
    line = f"[{name}] " + ", ".join(f"{k}={v}" for k, v in figures.items())
    print(line)
    sys.stdout.flush()
    return line

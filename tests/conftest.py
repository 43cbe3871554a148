"""Fixtures named for who a test talks to: the app on each database, a clinic and its owner, a client
with the clinic's request link, and a real SMTP server.

Every test that takes `app` runs on SQLite and, when FRONTDESK_TEST_DATABASE_URL is set, again on
PostgreSQL. Under CI=true a missing PostgreSQL fails the run instead of skipping.
"""

import os
import shutil
import socket
import threading

import pytest
from flask.testing import FlaskClient
from frontdesk import accounts, clinics, create_app, db
from frontdesk.mail import outbox as mail_outbox
from frontdesk.models import MODELS, AuditEvent, OutboxMessage, Professional
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from tests.pages import csrf_token
from tests.processes import Processes

POSTGRES_URL = os.environ.get("FRONTDESK_TEST_DATABASE_URL")
IN_CI = os.environ.get("CI") == "true"

# Scenes shared by the app, abuse and browser tests (a Wellbeing Hub, ...), as fixtures everywhere.
pytest_plugins = ["tests.app.booking_fixtures"]


def _admin_execute(url, *statements):
    database = db.open_database(url, None)
    database.connect()
    try:
        for statement in statements:
            database.execute_sql(statement)
    finally:
        database.close()


def _migrate(url):
    """Apply every migration to the database at `url`, then close it (which checkpoints SQLite's WAL, so
    the file alone holds the whole schema)."""
    db.database.initialize(db.open_database(url, None))
    db.database.connect()
    try:
        db.upgrade()
    finally:
        db.database.close()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """An SQLite file with every migration applied, built once per run: each test gets a copy of it."""
    path = tmp_path_factory.mktemp("migrated") / "frontdesk.db"
    _migrate("sqlite:///" + str(path))
    return path


@pytest.fixture(scope="session")
def postgres_url():
    """A database of this test run's own on the server FRONTDESK_TEST_DATABASE_URL names, so that
    runs side by side (CI, developers) never share tables; migrated once, dropped at the end."""
    if not POSTGRES_URL:
        return None
    name = f"frontdesk_test_{os.getpid()}"
    _admin_execute(POSTGRES_URL, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    _migrate(url)
    yield url
    _admin_execute(POSTGRES_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _empty_tables(url):
    """Every table of the migrated database emptied and its ids restarted: as fresh as a new database, and
    faster than migrating again or copying a template database. Connections a previous test left behind
    are ended first, so that none can hold a lock that TRUNCATE would wait on."""
    tables = ", ".join(f'"{model._meta.table_name}"' for model in MODELS)
    _admin_execute(
        url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()",
        f"TRUNCATE {tables} RESTART IDENTITY CASCADE",
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty, migrated database of the test's own."""
    if request.param == "sqlite":
        path = tmp_path / "frontdesk.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        return "sqlite:///" + str(path)
    if not POSTGRES_URL:
        message = "FRONTDESK_TEST_DATABASE_URL is not set"
        if IN_CI:
            pytest.fail(message + " (required under CI=true)")
        pytest.skip(message)
    url = request.getfixturevalue("postgres_url")
    _empty_tables(url)
    return url


class OwnContextClient(FlaskClient):
    """Runs each request in an application context of its own, as a server does. The `app` fixture keeps
    one context pushed for the test's own queries, and requests would otherwise share its `g` (and, with
    it, flask-wtf's cached CSRF token and the previous request's professional)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, tmp_path):
    """A fresh app on an empty, migrated database of the test's own."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEYS": ["test-key-newest", "test-key-older"],
            "BASE_URL": "http://frontdesk.test",
            "FORM_MIN_SECONDS": 0,
            "MAIL_BACKEND": "file",
            "RATELIMIT_ENABLED": False,
        }
    )
    app.test_client_class = OwnContextClient
    app.instance_path = str(tmp_path / "instance")
    os.makedirs(app.instance_path, exist_ok=True)
    with app.app_context():
        db.database.connect(reuse_if_open=True)
        yield app
        db.database.close()


# --- A real browser against the real server ---------------------------------------------------------

CHROMIUM = os.environ.get("FRONTDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def missing(reason):
    """Skip for a missing part of the machine, or fail where CI must have it."""
    if IN_CI:
        pytest.fail(reason + " (required under CI=true)")
    pytest.skip(reason)


def launch_chromium(playwright, extra_args=()):
    if not os.path.exists(CHROMIUM):
        missing(f"{CHROMIUM} is not installed (Debian package: chromium)")
    try:
        return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + list(extra_args))
    except Exception as error:  # noqa: BLE001  (any launch failure means: no usable browser)
        missing(f"Chromium at {CHROMIUM} could not be started: {error}")


class LiveServer:
    """One server on 127.0.0.1:<free port> for the whole run, one thread per request, as a browser reaches
    it; each test points it at its own app (starting a server per test cost each test half a second)."""

    def __init__(self):
        self.app = None
        self.server = make_server("127.0.0.1", 0, self.dispatch, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)

    def __call__(self, path=""):
        return self.url + path

    def dispatch(self, environ, start_response):
        """Hand the request to the current test's app (a request arriving between tests gets a 503)."""
        app = self.app or ServiceUnavailable()
        return app(environ, start_response)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def http_server():
    server = LiveServer()
    server.thread.start()
    yield server
    server.stop()


@pytest.fixture
def live_server(app, http_server):
    """The app over HTTP. Links and emails name the public address, so it is set before any link is made."""
    app.config["BASE_URL"] = http_server.url
    http_server.app = app
    yield http_server
    http_server.app = None


@pytest.fixture(scope="session")
def playwright():
    """Playwright's driver, started once for the whole run: its sync API allows one per thread, so the
    browser, embed and abuse tests share the one Chromium launched from it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright Python package is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright):
    """One Chromium for the whole run (skips with the reason where it is missing, fails under CI=true);
    each test opens its own context (cookies, storage) in it."""
    browser = launch_chromium(playwright)
    yield browser
    browser.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def clinic(app):
    """A clinic in London with its owner and one default service."""
    return clinics.create_clinic(
        "Harbour Counselling",
        "owner@harbour.example",
        "owner-password",
        owner_name="Ada Byrne",
        timezone="Europe/London",
        terms_url="https://harbour.example/terms",
    )


@pytest.fixture
def other_clinic(app):
    return clinics.create_clinic(
        "Fjord Therapy", "owner@fjord.example", "fjord-password", timezone="Atlantic/Reykjavik"
    )


class Auth:
    """Signs a professional in and out through the login form, as a person would."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path):
        return csrf_token(self.client.get(path))

    def login(self, email="owner@harbour.example", password="owner-password"):
        token = self.csrf("/workstation/login")
        return self.client.post("/workstation/login", data={"email": email, "password": password, "csrf_token": token})

    def post(self, path, data=None, page=None, **kwargs):
        """POST a workstation form with the CSRF token from the page that shows it."""
        data = dict(data or {}, csrf_token=self.csrf(page or "/workstation/requests"))
        return self.client.post(path, data=data, **kwargs)


def quick_hash(password):
    return generate_password_hash(password, method="pbkdf2:sha256:1")


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch):
    """Passwords hashed with one round of PBKDF2 instead of scrypt: sign-in works the same (the hash names its
    method), and each test saves the tenths of a second a real hash costs on purpose."""
    monkeypatch.setattr(clinics, "generate_password_hash", quick_hash)
    monkeypatch.setattr(accounts, "generate_password_hash", quick_hash)


def add_professional(clinic, email, password="staff-password", name="Ben Okafor", role="professional"):
    return Professional.create(clinic=clinic, email=email, name=name, role=role, password_hash=quick_hash(password))


@pytest.fixture
def owner(client, clinic):
    """The clinic's owner, signed in."""
    auth = Auth(client)
    response = auth.login()
    assert response.status_code == 302
    return auth


@pytest.fixture
def processes():
    """Start processes through this; whatever is still running when the test ends is killed with its
    process group, whether the test passed, failed, or never got past its set-up."""
    started = Processes()
    yield started
    started.stop_all()


@pytest.fixture
def staff(app, clinic):
    """A professional of the clinic who is not its owner, signed in in their own browser."""
    add_professional(clinic, "ben@harbour.example")
    auth = Auth(app.test_client())
    assert auth.login("ben@harbour.example", "staff-password").status_code == 302
    return auth


def free_port():
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def snapshot():
    """Every row of every table, in id order: a refused or repeated action must leave it identical. The audit
    log is left out: it records who opened a page, which every test that reads a form's token does."""
    return {
        model.__name__: list(model.select().order_by(model._meta.primary_key).dicts())
        for model in MODELS
        if model is not AuditEvent
    }


def outbox(to=None):
    """Messages queued so far, oldest first, optionally only those to one address, each with its bodies and
    attachment rendered from its draft as the mail worker would."""
    query = OutboxMessage.select().order_by(OutboxMessage.id)
    if to is not None:
        query = query.where(OutboxMessage.to_address == to)
    return [mail_outbox.rendered(message) for message in query]


class Mailbox:
    """What a real SMTP server (aiosmtpd) received, as parsed email messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on loopback, with the app's mail backend pointed at it."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    yield mailbox
    controller.stop()

"""Fixtures named for who a test talks to: the app on each database, a clinic and its owner, a client
with the clinic's request link, and a real SMTP server.

Every test that takes `app` runs on SQLite and, when FRONTDESK_TEST_DATABASE_URL is set, again on
PostgreSQL. Under CI=true a missing PostgreSQL fails the run instead of skipping.
"""
import os
import re
import socket
import threading

import pytest
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from frontdesk import create_app, db
from frontdesk.clinics import create_clinic
from frontdesk.models import OutboxMessage

POSTGRES_URL = os.environ.get("FRONTDESK_TEST_DATABASE_URL")
IN_CI = os.environ.get("CI") == "true"


def _admin_execute(url, *statements):
    database = db.open_database(url, None)
    database.connect()
    try:
        for statement in statements:
            database.execute_sql(statement)
    finally:
        database.close()


@pytest.fixture(scope="session")
def postgres_url():
    """A database of this test run's own on the server FRONTDESK_TEST_DATABASE_URL names, so that
    runs side by side (CI, developers) never share tables; dropped at the end."""
    if not POSTGRES_URL:
        return None
    name = f"frontdesk_test_{os.getpid()}"
    _admin_execute(POSTGRES_URL, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    _admin_execute(POSTGRES_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path / "frontdesk.db")
    if not POSTGRES_URL:
        message = "FRONTDESK_TEST_DATABASE_URL is not set"
        if IN_CI:
            pytest.fail(message + " (required under CI=true)")
        pytest.skip(message)
    url = request.getfixturevalue("postgres_url")
    _admin_execute(url, "DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public")
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
    """A fresh app and empty, migrated database for each test."""
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEYS": ["test-key-newest", "test-key-older"],
        "BASE_URL": "http://frontdesk.test",
        "FORM_MIN_SECONDS": 0,
        "MAIL_BACKEND": "file",
        "RATELIMIT_ENABLED": False,
    })
    app.test_client_class = OwnContextClient
    app.instance_path = str(tmp_path / "instance")
    os.makedirs(app.instance_path, exist_ok=True)
    with app.app_context():
        db.database.connect(reuse_if_open=True)
        db.upgrade()
        yield app
        db.database.close()


# --- A real browser against the real server ---------------------------------------------------------

CHROMIUM = os.environ.get("FRONTDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
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
    """The app on 127.0.0.1:<free port>, one thread per request, as a browser reaches it."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)

    def __call__(self, path=""):
        return self.url + path

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app):
    """The app over HTTP. Links and emails name the public address, so it is set before any link is made."""
    server = LiveServer(app)
    app.config["BASE_URL"] = server.url
    server.thread.start()
    yield server
    server.stop()


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
    return create_clinic("Harbour Counselling", "owner@harbour.example", "owner-password", owner_name="Ada Byrne",
                         timezone="Europe/London", terms_url="https://harbour.example/terms")


@pytest.fixture
def other_clinic(app):
    return create_clinic("Fjord Therapy", "owner@fjord.example", "fjord-password", timezone="Atlantic/Reykjavik")


class Auth:
    """Signs a professional in and out through the login form, as a person would."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path):
        page = self.client.get(path).get_data(as_text=True)
        return re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def login(self, email="owner@harbour.example", password="owner-password"):
        token = self.csrf("/workstation/login")
        return self.client.post("/workstation/login", data={"email": email, "password": password, "csrf_token": token})

    def post(self, path, data=None, page=None, **kwargs):
        """POST a workstation form with the CSRF token from the page that shows it."""
        data = dict(data or {}, csrf_token=self.csrf(page or "/workstation/requests"))
        return self.client.post(path, data=data, **kwargs)


@pytest.fixture
def owner(client, clinic):
    """The clinic's owner, signed in."""
    auth = Auth(client)
    response = auth.login()
    assert response.status_code == 302
    return auth


def free_port():
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def outbox(to=None):
    """Messages queued so far, oldest first, optionally only those to one address."""
    query = OutboxMessage.select().order_by(OutboxMessage.id)
    if to is not None:
        query = query.where(OutboxMessage.to_address == to)
    return list(query)


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

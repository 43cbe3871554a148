"""Fixtures for the abuse tests (issue 6): the helpers of the app and browser tests, a snapshot of the
whole database, and the check that a refused request answered with a clear page.

An attack that is refused must leave every row as it was, so `snapshot()` reads every table in full.
"""
import os
import threading

import pytest
from werkzeug.serving import make_server

from server.models import MODELS
from tests.app.booking_fixtures import hub  # noqa: F401  (fixture)
from tests.app.conftest import quick_password_hashing, staff  # noqa: F401  (fixtures)

CHROMIUM = os.environ.get("FRONTDESK_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI") == "true"

# What a refused request may answer: not found, forbidden, replaced, conflict, unprocessable, too large.
CLEAR_REFUSALS = {403, 404, 409, 410, 413, 422}


def snapshot():
    """Every row of every table, in id order: a refused request must leave it identical."""
    tables = {}
    for model in MODELS:
        key = model._meta.primary_key
        tables[model.__name__] = list(model.select().order_by(key).dicts())
    return tables


def assert_clear_page(response, allowed=CLEAR_REFUSALS):
    """A refusal is an HTML page with one of the expected codes, never a server error."""
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    assert response.status_code in allowed, (response.status_code, response.get_data(as_text=True)[:2000])
    assert response.mimetype == "text/html"
    assert "<h1" in response.get_data(as_text=True)


@pytest.fixture
def db_snapshot():
    return snapshot


def _missing(reason):
    if IN_CI:
        pytest.fail(reason + " (required under CI=true)")
    pytest.skip(reason)


class Server:
    """The app over HTTP on loopback, one thread per request, as a browser reaches it."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="abuse-server", daemon=True)

    def __call__(self, path=""):
        return self.url + path


@pytest.fixture
def served(app):
    """The app served over HTTP; links and emails name its address."""
    server = Server(app)
    app.config["BASE_URL"] = server.url
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()
    server.thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium(playwright):
    """The system's Chromium (skips with the reason where it is missing, fails under CI=true)."""
    if not os.path.exists(CHROMIUM):
        _missing(f"{CHROMIUM} is not installed (Debian package: chromium)")
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
    except Exception as error:  # noqa: BLE001  (any launch failure means: no usable browser)
        _missing(f"Chromium at {CHROMIUM} could not be started: {error}")
    yield browser
    browser.close()

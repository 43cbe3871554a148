"""Fixtures for the abuse tests (issue 6): the helpers of the app and browser tests, a snapshot of the
whole database, and the check that a refused request answered with a clear page.

An attack that is refused must leave every row as it was, so `snapshot()` reads every table in full.
"""
import pytest

from frontdesk.models import MODELS
from tests.app.booking_fixtures import hub  # noqa: F401  (fixture)
from tests.app.conftest import quick_password_hashing, staff  # noqa: F401  (fixtures)

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


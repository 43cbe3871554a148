"""Helpers for test-client tests: a visitor who fills in a clinic's request form as a browser would,
more professionals to sign in, and ways to read what a page shows."""

import datetime
from html import unescape
from urllib.parse import urlsplit

import pytest
from frontdesk import booking, clinics, db, urls
from frontdesk.models import Client, Clinic, Question, Request, Service, utcnow

from tests.conftest import Auth
from tests.pages import form_token

# A page every professional can open whose forms carry a CSRF token: for a POST whose own page has no form
# left to show (a request already answered) or belongs to another clinic.
SETTINGS_PAGE = "/workstation/settings/client-access"


def path_of(url):
    """The path of an absolute link, which the test client asks for."""
    return urlsplit(url).path


def request_path(clinic):
    """The path of the clinic's current request link."""
    return path_of(urls.request_link(Clinic.get_by_id(clinic.id)))


def text(response):
    """A page's text with HTML entities decoded, as a person reads it (tags left in)."""
    return unescape(response.get_data(as_text=True))


class Visitor:
    """Someone holding a clinic's request link, in their own browser (so without a workstation cookie)."""

    defaults = {"name": "Sam Rivera", "email": "sam@example.com"}

    def __init__(self, client, path):
        self.client = client
        self.path = path

    def open(self, path=None):
        return self.client.get(path or self.path)

    def post(self, data, path=None):
        return self.client.post(path or self.path, data=data)

    def send(self, path=None, token=None, **fields):
        """Open the form, fill it in with name and email plus `fields` (None leaves a field out), send it."""
        if token is None:
            token = form_token(self.open(path))
        data = dict(self.defaults, form_token=token)
        data.update(fields)
        return self.post({k: v for k, v in data.items() if v is not None}, path)


@pytest.fixture
def sent_sql(monkeypatch):
    """A function that starts recording the SQL the database runs, returning the list it fills (a kept page's
    tests count its queries after a first view)."""

    def start():
        queries = []
        real = db.database.obj.execute_sql
        monkeypatch.setattr(
            db.database.obj, "execute_sql", lambda sql, *a, **k: queries.append(sql) or real(sql, *a, **k)
        )
        return queries

    return start


@pytest.fixture
def visitor(app, clinic):
    """A person with the clinic's current request link."""
    return Visitor(app.test_client(), request_path(clinic))


@pytest.fixture
def ask(app, clinic):
    """Send the clinic's request form as a new person, each in their own browser; returns their Request."""

    def ask(name="Sam Rivera", email="sam@example.com", **fields):
        response = Visitor(app.test_client(), request_path(clinic)).send(name=name, email=email, **fields)
        assert response.status_code == 200, text(response)
        return Request.select().order_by(Request.id.desc()).first()

    return ask


@pytest.fixture
def accepted_client(ask, owner):
    """Sam, who asked through the request form and whom the owner accepted: one of the clinic's clients."""
    request = ask()
    assert accept(owner, request).status_code == 302
    return Client.get_by_id(request.client_id)


def accept(auth, request, page=None):
    """Press Accept on a request's page."""
    return auth.post(f"/workstation/requests/{request.id}/accept", page=page or f"/workstation/requests/{request.id}")


def decline(auth, request, message="", page=None):
    """Press Decline on a request's page, with an optional message."""
    return auth.post(
        f"/workstation/requests/{request.id}/decline",
        {"message": message},
        page=page or f"/workstation/requests/{request.id}",
    )


def set_registration(clinic, **modes):
    """Set how the clinic's form asks its built-in fields, e.g. phone="required"."""
    Clinic.update(registration=modes).where(Clinic.id == clinic.id).execute()


def add_question(clinic, label, kind, choices=(), required=False):
    last = Question.select().where(Question.clinic == clinic).count()
    return Question.create(
        clinic=clinic, label=label, kind=kind, choices=list(choices), required=required, position=last
    )


def first_service(clinic):
    return Service.select().where(Service.clinic == clinic).order_by(Service.id).first()


@pytest.fixture
def other_owner(app, other_clinic):
    """The owner of the other clinic, signed in in their own browser."""
    auth = Auth(app.test_client())
    assert auth.login("owner@fjord.example", "fjord-password").status_code == 302
    return auth


@pytest.fixture
def us_clinic(app):
    """A clinic in the United States, whose clients give local US phone numbers."""
    return clinics.create_clinic(
        "Bayview Therapy", "owner@bayview.example", "bayview-password", timezone="America/Los_Angeles", country="US"
    )


def local_today(clinic):
    """Today's date where the clinic is."""
    return booking.utc_to_local(utcnow(), clinic.timezone).date()


def next_july_day():
    """A day in July of next year: always ahead, always on British Summer Time."""
    return datetime.date(utcnow().year + 1, 7, 13)


def next_spring_forward():
    """The last Sunday of March next year, when London's clocks skip from 01:00 to 02:00."""
    day = datetime.date(utcnow().year + 1, 3, 31)
    return day - datetime.timedelta(days=(day.weekday() + 1) % 7)

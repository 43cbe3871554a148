"""Signing in and out, pages that need a signed-in professional, one clinic never reaching another's
data, and workstation forms that need their CSRF token."""

import pytest
from frontdesk.models import Appointment, Client, Clinic, Question, Request, Service

from tests.conftest import Auth, outbox

from .conftest import SETTINGS_PAGE, Visitor, add_question, first_service, next_july_day, request_path, text
from .test_booking import book

LOGIN = "/workstation/login"


def signed_in(client):
    """Whether the browser's next visit to the workstation gets a page rather than the sign-in form."""
    return client.get("/workstation/requests").status_code == 200


# --- signing in and out --------------------------------------------------------------------------


def test_the_owner_signs_in_and_lands_on_requests(client, clinic):
    """The owner signs in with their email and password and lands on the waitlist."""
    assert "Sign in to your workstation" in text(client.get(LOGIN))
    response = Auth(client).login("Owner@Harbour.example", "owner-password")
    assert response.status_code == 302 and response.headers["Location"].endswith("/workstation/requests")
    assert signed_in(client)


@pytest.mark.parametrize(
    "email, password",
    [
        ("owner@harbour.example", "wrong-password"),
        ("nobody@harbour.example", "owner-password"),
        ("owner@harbour.example", ""),
    ],
)
def test_a_wrong_email_or_password_is_refused(client, clinic, email, password):
    """A wrong password or unknown email gets the sign-in form back (401) with a message, and no access."""
    response = Auth(client).login(email, password)
    assert response.status_code == 401
    assert "Sign in to your workstation" in text(response)
    assert not signed_in(client)


def test_the_same_message_for_unknown_email_and_wrong_password(client, clinic):
    """The sign-in form never reveals whether an email has an account."""
    wrong_password = text(Auth(client).login("owner@harbour.example", "wrong-password"))
    unknown_email = text(Auth(client).login("nobody@harbour.example", "wrong-password"))
    message = "That email and password do not match an account."
    assert message in wrong_password and message in unknown_email


def test_a_sign_in_without_its_csrf_token_is_refused(client, clinic):
    """A sign-in posted from elsewhere (without the form's token) does not sign anyone in."""
    response = client.post(LOGIN, data={"email": "owner@harbour.example", "password": "owner-password"})
    assert response.status_code == 401
    assert not signed_in(client)


def test_the_workstation_cookie_is_http_only_and_same_site(client, clinic):
    """The workstation's session cookie cannot be read by scripts or sent by other sites' forms."""
    response = Auth(client).login()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    "path",
    [
        "/workstation/requests",
        "/workstation/clients",
        "/workstation/sessions",
        "/workstation/settings/client-access",
        "/workstation/settings/services",
        "/workstation/requests/1",
        "/workstation/clients/1",
        "/workstation/",
    ],
)
def test_every_workstation_page_needs_a_signed_in_professional(client, clinic, path):
    """Someone not signed in who opens a workstation page is sent to sign in, and then back to that page."""
    response = client.get(path)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(LOGIN + "?next=")
    after = Auth(client)
    token = after.csrf(location)
    signed = client.post(
        location, data={"email": "owner@harbour.example", "password": "owner-password", "csrf_token": token}
    )
    assert signed.status_code == 302
    assert signed.headers["Location"].rstrip("?") == path


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/workstation", "/r/elsewhere"])
def test_signing_in_never_sends_the_professional_elsewhere(client, clinic, target):
    """A sign-in link that tries to send the professional to another site lands on the waitlist instead."""
    token = Auth(client).csrf(LOGIN)
    response = client.post(
        f"{LOGIN}?next={target}",
        data={"email": "owner@harbour.example", "password": "owner-password", "csrf_token": token},
    )
    assert response.headers["Location"].endswith("/workstation/requests")


def test_signing_out(client, owner):
    """The professional signs out; the workstation then asks them to sign in again."""
    response = owner.post("/workstation/logout", page=SETTINGS_PAGE)
    assert response.headers["Location"].endswith(LOGIN)
    assert "You are signed out." in text(client.get(LOGIN))
    assert not signed_in(client)


def test_signing_out_needs_the_pages_token(client, owner):
    """A sign-out posted from another site (without the token) leaves the professional signed in."""
    client.post("/workstation/logout", data={})
    assert signed_in(client)


def test_workstation_pages_cannot_be_framed_or_cached(client, owner):
    """Workstation pages refuse to be framed by other sites and are not kept in caches."""
    response = client.get("/workstation/requests")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


# --- one clinic never reaches another's data -----------------------------------------------------


@pytest.fixture
def theirs(app, other_clinic):
    """The other clinic's waiting request, client, question and service."""
    Visitor(app.test_client(), request_path(other_clinic)).send(name="Elin Fjord", email="elin@example.com")
    add_question(other_clinic, "First?", "short_text")
    add_question(other_clinic, "Second?", "short_text")
    return {
        "request": Request.get(Request.clinic == other_clinic).id,
        "client": Client.get(Client.clinic == other_clinic).id,
        "question": Question.get(Question.clinic == other_clinic, Question.label == "First?").id,
        "service": first_service(other_clinic).id,
    }


def other_clinic_state(other_clinic):
    """Everything of the other clinic a stranger could try to change."""
    return (
        [(r.id, r.status, r.decline_message) for r in Request.select().where(Request.clinic == other_clinic)],
        [(c.id, c.status) for c in Client.select().where(Client.clinic == other_clinic)],
        [(q.id, q.position) for q in Question.select().where(Question.clinic == other_clinic)],
        [(s.id, s.active) for s in Service.select().where(Service.clinic == other_clinic)],
        Appointment.select().count(),
        len(outbox()),
    )


OTHER_CLINIC_ROUTES = [
    ("GET", "/workstation/requests/{request}", None),
    ("POST", "/workstation/requests/{request}/accept", {}),
    ("POST", "/workstation/requests/{request}/decline", {"message": "Not from you"}),
    ("GET", "/workstation/clients/{client}", None),
    (
        "POST",
        "/workstation/clients/{client}/sessions",
        {
            "service": "{own_service}",
            "professional": "{own_professional}",
            "day": next_july_day().isoformat(),
            "time": "10:00",
        },
    ),
    ("POST", "/workstation/settings/client-access/questions/{question}/move/up", {}),
    ("POST", "/workstation/settings/client-access/questions/{question}/move/down", {}),
    ("POST", "/workstation/settings/client-access/questions/{question}/delete", {}),
    ("POST", "/workstation/settings/services/{service}/archive", {}),
]


@pytest.mark.parametrize("method, path, data", OTHER_CLINIC_ROUTES, ids=[f"{m} {p}" for m, p, _ in OTHER_CLINIC_ROUTES])
def test_another_clinics_ids_are_not_found(client, owner, clinic, other_clinic, theirs, method, path, data):
    """A professional who puts another clinic's id in a workstation address gets "not found" (404), and
    nothing of the other clinic changes."""
    ids = dict(theirs, own_service=first_service(clinic).id, own_professional=clinic.professionals.get().id)
    before = other_clinic_state(other_clinic)
    url = path.format(**ids)
    if method == "GET":
        response = client.get(url)
    else:
        response = owner.post(url, {k: v.format(**ids) for k, v in data.items()}, page=SETTINGS_PAGE)
    assert response.status_code == 404
    assert "This page does not exist" in text(response)
    assert "Elin Fjord" not in text(response)
    assert other_clinic_state(other_clinic) == before


@pytest.mark.parametrize("field", ["service", "professional"])
def test_booking_with_another_clinics_service_or_professional_is_refused(owner, accepted_client, other_clinic, field):
    """Booking one's own client with another clinic's service or professional books nothing."""
    theirs = {"service": first_service(other_clinic), "professional": other_clinic.professionals.get()}
    response = book(owner, accepted_client, next_july_day(), "10:00", **{field: theirs[field]})
    assert response.status_code == 422
    assert Appointment.select().count() == 0


def test_the_other_clinics_owner_sees_none_of_this_clinics_data(ask, other_owner, clinic):
    """The other clinic's owner sees an empty waitlist, no clients and cannot open this clinic's request."""
    request = ask()
    assert "sam@example.com" not in text(other_owner.client.get("/workstation/requests"))
    assert "Sam Rivera" not in text(other_owner.client.get("/workstation/clients"))
    assert other_owner.client.get(f"/workstation/requests/{request.id}").status_code == 404
    assert other_owner.client.get(f"/workstation/clients/{request.client_id}").status_code == 404
    assert request_path(clinic) not in text(other_owner.client.get(SETTINGS_PAGE))


# --- CSRF ----------------------------------------------------------------------------------------


def own_state(clinic):
    row = Clinic.get_by_id(clinic.id)
    return (
        row.requests_enabled,
        row.request_link_version,
        row.terms_url,
        row.registration,
        [(r.id, r.status) for r in Request.select()],
        [(c.id, c.status) for c in Client.select()],
        [(q.id, q.label, q.position) for q in Question.select()],
        [(s.id, s.name, s.active) for s in Service.select()],
        Appointment.select().count(),
        len(outbox()),
    )


CSRF_POSTS = [
    ("/workstation/requests/{request}/accept", {}),
    ("/workstation/requests/{request}/decline", {"message": "No"}),
    (
        "/workstation/clients/{client}/sessions",
        {"service": "{service}", "professional": "{professional}", "day": next_july_day().isoformat(), "time": "10:00"},
    ),
    ("/workstation/settings/client-access/requests", {}),
    ("/workstation/settings/client-access/rotate", {}),
    ("/workstation/settings/client-access/terms", {"terms_url": "https://evil.example/terms"}),
    ("/workstation/settings/client-access/requirements", {"phone": "required"}),
    ("/workstation/settings/client-access/questions", {"label": "Planted?", "kind": "short_text"}),
    ("/workstation/settings/client-access/questions/{question}/move/down", {}),
    ("/workstation/settings/client-access/questions/{question}/delete", {}),
    ("/workstation/settings/services", {"name": "Planted service", "duration_minutes": "50"}),
    ("/workstation/settings/services/{service}/archive", {}),
]


@pytest.mark.parametrize("path, data", CSRF_POSTS, ids=[p.replace("/workstation/", "") for p, _ in CSRF_POSTS])
def test_a_workstation_form_without_its_csrf_token_changes_nothing(client, owner, clinic, ask, path, data):
    """A form posted to the workstation from another site (no CSRF token) changes nothing and emails nobody."""
    waiting = ask()
    Client.update(status="active").where(Client.id == waiting.client_id).execute()
    add_question(clinic, "First?", "short_text")
    add_question(clinic, "Second?", "short_text")
    ids = {
        "request": waiting.id,
        "client": waiting.client_id,
        "service": first_service(clinic).id,
        "question": Question.select().order_by(Question.id).first().id,
        "professional": clinic.professionals.get().id,
    }
    before = own_state(clinic)
    response = client.post(path.format(**ids), data={k: v.format(**ids) for k, v in data.items()})
    assert response.status_code in (302, 422)
    assert own_state(clinic) == before

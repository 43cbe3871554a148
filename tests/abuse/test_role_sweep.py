"""Every workstation route, called by every role (and by a deactivated member): what the roles table
(server/roles.py) allows answers, what it does not is forbidden, and a deactivated member is signed out.

The routes come from the app's url_map: an endpoint missing from roles.ENDPOINTS fails the first test,
naming it, so a new page cannot ship without someone deciding who may use it.
"""

import datetime as dt

import pytest
from flask import url_for
from frontdesk import roles
from frontdesk.models import ChargeDecision, Clinic, ExternalCalendar, Hub, HubMember, Invitation, Request, TimeOff
from werkzeug.routing import AnyConverter

from tests.abuse.test_tenancy_sweep import ID_FACTORIES
from tests.app.booking_fixtures import make_client, make_session, owner_of, service_of, work_every_day
from tests.app.conftest import add_question
from tests.conftest import Auth, add_professional

# Public with a token for an argument (tests/app/test_team.py and test_account_pages.py cover them), or
# ending the walk (signing out).
NOT_WALKED = {
    "workstation.login",
    "workstation.invitation",
    "workstation.reset_password",
    "workstation.logout",
    "workstation.sign_out_everywhere",
}
ROLES = ["owner", "professional", "front_desk", "front_desk_with_charges"]


def workstation_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("workstation.")]


def test_every_workstation_endpoint_is_in_the_roles_table(app):
    missing = sorted({rule.endpoint for rule in workstation_rules(app)} - set(roles.ENDPOINTS))
    assert not missing, f"add these endpoints to roles.ENDPOINTS, with the capability each needs: {missing}"


def test_the_roles_table_names_no_endpoint_that_does_not_exist(app):
    stale = sorted(set(roles.ENDPOINTS) - {rule.endpoint for rule in workstation_rules(app)})
    assert not stale, stale


@pytest.fixture
def scene(app, clinic):
    """Harbour Counselling with one member of each role, and one row of every kind a route takes."""
    owner = owner_of(clinic)
    work_every_day(owner)
    members = {
        "professional": add_professional(clinic, "ben@harbour.example", role="professional"),
        "front_desk": add_professional(clinic, "fay@harbour.example", name="Fay Desk", role="front_desk"),
        "deactivated": add_professional(clinic, "old@harbour.example", name="Old Hand", role="professional"),
    }
    client = make_client(clinic, email="eva@example.com", name="Eva Jonsdottir")
    hub = Hub.create(clinic=clinic, name="Harbour Wellbeing")
    HubMember.create(hub=hub, professional=owner)
    past = make_session(clinic, -5, channel="direct", client=client)
    return {
        "clinic": clinic,
        "professional": owner,
        "members": members,
        "client": client,
        "request": Request.create(clinic=clinic, client=client, message="Please help", answers=[]),
        "session": make_session(clinic, 72, channel="direct", client=client),
        "decision": ChargeDecision.create(
            clinic=clinic, appointment=past, reason="no_show", amount_cents=4000, currency="GBP"
        ),
        "time_off": TimeOff.create(
            professional=owner,
            first_day=dt.date.today() + dt.timedelta(days=40),
            last_day=dt.date.today() + dt.timedelta(days=41),
        ),
        "question": add_question(clinic, "Anything else?", "short_text"),
        "service": service_of(clinic),
        "colleague": members["deactivated"],
        "invitation": Invitation.create(clinic=clinic, email="new@harbour.example", role="professional"),
        "hub": hub,
        "external_calendar": ExternalCalendar.create(
            clinic=clinic, professional=owner, url="https://calendar.example.org/harbour.ics"
        ),
    }


def _signed_in(app, email, password):
    auth = Auth(app.test_client())
    assert auth.login(email, password).status_code == 302
    return auth


def _calls(app, scene):
    """(endpoint, method, path) of every workstation route, filled with the scene's ids."""
    for rule in workstation_rules(app):
        if rule.endpoint in NOT_WALKED:
            continue
        values = {name: factory(scene) for name, factory in ID_FACTORIES.items() if name in rule.arguments}
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                values[name] = sorted(converter.items)[0]
        with app.test_request_context():
            path = url_for(rule.endpoint, **values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def _call(auth, method, path, token):
    if method == "GET":
        return auth.client.get(path)
    return auth.client.open(path, method=method, data={"csrf_token": token, "role": "professional"})


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_what_the_table_allows(app, scene, role):
    clinic = scene["clinic"]
    if role == "owner":
        auth = _signed_in(app, "owner@harbour.example", "owner-password")
    else:
        email = "ben@harbour.example" if role == "professional" else "fay@harbour.example"
        auth = _signed_in(app, email, "staff-password")
    allows_charges = role == "front_desk_with_charges"
    Clinic.update(front_desk_decides_charges=allows_charges).where(Clinic.id == clinic.id).execute()
    member_role = "front_desk" if role.startswith("front_desk") else role
    token = auth.csrf("/workstation/requests")
    checked = 0
    for endpoint, method, path in _calls(app, scene):
        allowed = roles.may(member_role, roles.needs(endpoint, method), allows_charges)
        response = _call(auth, method, path, token)
        if allowed:
            assert response.status_code != 403, (role, method, path)
            assert "/workstation/login" not in response.headers.get("Location", ""), (role, method, path)
        else:
            assert response.status_code == 403, (role, method, path, response.status_code)
        checked += 1
    assert checked >= 40


def test_a_deactivated_member_is_signed_out_of_every_route(app, scene):
    """Signed in before the owner deactivated them: the very next request of any kind sends them to the
    sign-in page, and signing in again is refused."""
    auth = _signed_in(app, "old@harbour.example", "staff-password")
    token = auth.csrf("/workstation/requests")
    owner = _signed_in(app, "owner@harbour.example", "owner-password")
    member = scene["members"]["deactivated"]
    assert owner.post(f"/workstation/team/members/{member.id}/deactivate", page="/workstation/team").status_code == 302
    for endpoint, method, path in _calls(app, scene):
        if roles.needs(endpoint, method) is roles.PUBLIC:
            continue  # signed in or not, anyone may ask for a password reset
        response = _call(auth, method, path, token)
        assert response.status_code == 302, (method, path)
        assert "/workstation/login" in response.headers["Location"], (method, path)
    assert auth.login("old@harbour.example", "staff-password").status_code == 401


def test_a_professional_cannot_open_a_colleagues_client_session_or_charge(app, scene):
    """Ben is a professional: a client who only sees the owner, her session and her charge are not found for
    him, and his lists do not show them; the front desk opens them all."""
    clinic = scene["clinic"]
    theirs = make_client(clinic, email="ida@example.com", name="Ida Owner-Client")
    session = make_session(clinic, 30, channel="direct", client=theirs)
    missed = make_session(clinic, -30, channel="direct", client=theirs)
    decision = ChargeDecision.create(
        clinic=clinic, appointment=missed, reason="no_show", amount_cents=1, currency="GBP"
    )
    ben = _signed_in(app, "ben@harbour.example", "staff-password")
    for path in (f"/workstation/clients/{theirs.id}", f"/workstation/sessions/{session.id}"):
        assert ben.client.get(path).status_code == 404, path
    assert ben.post(f"/workstation/charges/{decision.id}", {"decision": "waived"}).status_code == 404
    assert ben.post(f"/workstation/sessions/{session.id}/cancel").status_code == 404
    assert "Ida Owner-Client" not in ben.client.get("/workstation/clients").get_data(as_text=True)
    assert "Ida Owner-Client" not in ben.client.get("/workstation/sessions").get_data(as_text=True)
    assert ChargeDecision.get_by_id(decision.id).status == "open"
    fay = _signed_in(app, "fay@harbour.example", "staff-password")
    assert fay.client.get(f"/workstation/clients/{theirs.id}").status_code == 200
    assert fay.client.get(f"/workstation/sessions/{session.id}").status_code == 200


def test_a_professional_sees_requests_for_them_or_the_clinic_only(app, scene):
    clinic = scene["clinic"]
    ben = scene["members"]["professional"]
    other = make_client(clinic, email="ola@example.com", name="Ola Nowak")
    for_owner = Request.create(clinic=clinic, client=other, professional=owner_of(clinic), answers=[])
    for_ben = Request.create(clinic=clinic, client=other, professional=ben, answers=[])
    auth = _signed_in(app, "ben@harbour.example", "staff-password")
    assert auth.client.get(f"/workstation/requests/{for_owner.id}").status_code == 404
    assert auth.client.get(f"/workstation/requests/{for_ben.id}").status_code == 200
    assert auth.client.get(f"/workstation/requests/{scene['request'].id}").status_code == 200

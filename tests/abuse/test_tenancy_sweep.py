"""Every workstation route that takes an id, called by a professional of one clinic with the ids of
another clinic's rows: 404 every time, and not one row anywhere changes.

The routes come from the app's url_map, not from a list kept by hand: a new route with an id it does
not know how to fill makes the sweep fail, naming the route, until a factory for it is added below.
"""

import datetime as dt

import pytest
from flask import url_for
from frontdesk.models import ChargeDecision, Client, ExternalCalendar, Hub, HubMember, Invitation, Request, TimeOff
from werkzeug.routing import AnyConverter, IntegerConverter

from tests.app.booking_fixtures import make_client, make_session, owner_of, service_of, work_every_day
from tests.app.conftest import SETTINGS_PAGE, add_question
from tests.conftest import add_professional, snapshot

# A workstation route's id argument -> the id of clinic B's row of that kind (from the scene below).
ID_FACTORIES = {
    "request_id": lambda scene: scene["request"].id,
    "client_id": lambda scene: scene["client"].id,
    "appointment_id": lambda scene: scene["session"].id,
    "decision_id": lambda scene: scene["decision"].id,
    "time_off_id": lambda scene: scene["time_off"].id,
    "question_id": lambda scene: scene["question"].id,
    "service_id": lambda scene: scene["service"].id,
    "hub_id": lambda scene: scene["hub"].id,
    "professional_id": lambda scene: scene["professional"].id,
    "invitation_id": lambda scene: scene["invitation"].id,
    "member_id": lambda scene: scene["colleague"].id,
    "calendar_id": lambda scene: scene["external_calendar"].id,
}


def _plausible_form(scene):
    """Form fields that would make each POST succeed if it reached another clinic's row: so a 404 is the
    tenancy check speaking, not a form that failed validation first."""
    day = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    return {
        "decision": "charged",
        "note": "sweep",
        "message": "sweep",
        "day": day,
        "time": "10:00",
        "service": str(scene["service"].id),
        "professional": str(scene["professional"].id),
        "name": "Sweep",
        "email": "sweep@example.com",
        "phone": "+44 20 7946 0000",
        "language": "en",
        "timezone": "Europe/London",
        "mode": "request",
        f"m{scene['professional'].id}-mode": "request",
        f"l{scene['professional'].id}-languages": "en",
        "duration_minutes": "50",
        "bookable_online": "y",
        "version": str(scene["service"].version),
        "role": "owner",
        "url": "https://calendar.example.org/sweep.ics",
    }


def workstation_id_routes(app):
    """(rule, method, [argument values...]) for every workstation route with an int argument.

    Fails naming the route when an argument has no factory or a converter the sweep cannot fill."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("workstation."):
            continue
        converters = rule._converters
        int_arguments = [name for name, conv in converters.items() if isinstance(conv, IntegerConverter)]
        if not int_arguments:
            continue
        unknown = [name for name in int_arguments if name not in ID_FACTORIES]
        if unknown:
            pytest.fail(
                f"{rule.rule} ({rule.endpoint}) takes {', '.join(unknown)}: add a factory for it to "
                f"ID_FACTORIES in {__name__} so the tenancy sweep covers it"
            )
        choices = {}
        for name, conv in converters.items():
            if isinstance(conv, IntegerConverter):
                continue
            if isinstance(conv, AnyConverter):
                choices[name] = sorted(conv.items)
            else:
                pytest.fail(
                    f"{rule.rule} ({rule.endpoint}) has argument {name} with {type(conv).__name__}, "
                    f"which the tenancy sweep cannot fill: teach {__name__} about it"
                )
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule, method, choices))
    return routes


def _expand(rule, choices, scene):
    """Every URL of a rule for clinic B's ids and each allowed value of its other arguments."""
    values = [{}]
    for name, options in choices.items():
        values = [dict(v, **{name: option}) for v in values for option in options]
    ids = {name: factory(scene) for name, factory in ID_FACTORIES.items() if name in rule.arguments}
    return [rule.endpoint, [dict(ids, **v) for v in values]]


@pytest.fixture
def other_scene(app, other_clinic):
    """One row of every kind in clinic B (Fjord Therapy), each one a thing an action could change."""
    professional = owner_of(other_clinic)
    work_every_day(professional)
    client = make_client(other_clinic, email="eva@fjord.example", name="Eva Jonsdottir")
    request = Request.create(clinic=other_clinic, client=client, message="Please help", answers=[])
    session = make_session(other_clinic, 72, channel="direct", client=client)
    past = make_session(other_clinic, -5, channel="direct", client=client)
    decision = ChargeDecision.create(
        clinic=other_clinic, appointment=past, reason="no_show", amount_cents=4000, currency="ISK"
    )
    time_off = TimeOff.create(
        professional=professional,
        first_day=dt.date.today() + dt.timedelta(days=40),
        last_day=dt.date.today() + dt.timedelta(days=41),
        note="Fjord break",
    )
    question = add_question(other_clinic, "Anything else?", "short_text")
    add_question(other_clinic, "Second question", "short_text")  # so "move" would have somewhere to go
    colleague = add_professional(other_clinic, "siggi@fjord.example", name="Siggi Fjord")
    invitation = Invitation.create(clinic=other_clinic, email="new@fjord.example", role="professional")
    hub = Hub.create(clinic=other_clinic, name="Fjord Wellbeing")
    HubMember.create(hub=hub, professional=professional)
    external_calendar = ExternalCalendar.create(
        clinic=other_clinic, professional=professional, url="https://calendar.example.org/fjord.ics"
    )
    return {
        "clinic": other_clinic,
        "professional": professional,
        "client": client,
        "request": request,
        "session": session,
        "decision": decision,
        "time_off": time_off,
        "question": question,
        "service": service_of(other_clinic),
        "hub": hub,
        "colleague": colleague,
        "invitation": invitation,
        "external_calendar": external_calendar,
    }


def test_every_workstation_id_route_is_swept(app, clinic):
    """The sweep knows every id a workstation route takes (it fails naming any it does not)."""
    routes = workstation_id_routes(app)
    endpoints = {rule.endpoint for rule, _, _ in routes}
    # A floor, so an accidentally empty url_map walk cannot pass unnoticed.
    assert {
        "workstation.request_detail",
        "workstation.decide_charge",
        "workstation.delete_time_off",
        "workstation.move_question",
        "workstation.archive_service",
        "workstation.edit_client",
        "workstation.archive_client",
        "workstation.hub_detail",
        "workstation.rename_hub",
        "workstation.close_hub",
        "workstation.rotate_hub_link",
        "workstation.add_hub_member",
        "workstation.remove_hub_member",
        "workstation.set_hub_member_mode",
        "workstation.save_professional_languages",
        "workstation.rotate_booking_link",
        "workstation.service_detail",
        "workstation.save_service",
        "workstation.unretire_service",
        "workstation.change_role",
        "workstation.deactivate_member",
        "workstation.revoke_invitation",
        "workstation.reassign_session",
        "workstation.remove_external_calendar",
    } <= endpoints


@pytest.mark.parametrize("who", ["owner", "staff"])
def test_another_clinics_ids_are_not_found_on_any_workstation_route(app, clinic, other_scene, owner, staff, who):
    """The owner (who passes every owner-only check) and a staff member of clinic A call every workstation
    id route, with every method it allows, with clinic B's ids: each answers 404 (a staff member may meet
    the owner-only 403 first, which reveals nothing either) and nothing in the database changes."""
    auth = owner if who == "owner" else staff
    token = auth.csrf(SETTINGS_PAGE)
    form = dict(_plausible_form(other_scene), csrf_token=token)
    before = snapshot()
    called = []
    for rule, method, choices in workstation_id_routes(app):
        endpoint, variants = _expand(rule, choices, other_scene)
        for values in variants:
            with app.test_request_context():
                path = url_for(endpoint, **values)
            if method == "GET":
                response = auth.client.get(path)
            else:
                response = auth.client.open(path, method=method, data=form)
            expected = {404} if who == "owner" else {403, 404}
            assert response.status_code in expected, (method, path, response.status_code)
            called.append((method, path))
    assert snapshot() == before
    assert len(called) >= 15


def test_another_clinics_service_or_professional_in_a_booking_form_is_not_found(app, clinic, other_scene, owner):
    """Booking a session for one's own client with clinic B's service or professional (ids in the form, not
    the path) is refused with 404 and books nothing."""
    mine = make_client(clinic, email="sam@example.com", name="Sam Rivera")
    Client.update(status="active").where(Client.id == mine.id).execute()
    page = f"/workstation/clients/{mine.id}"
    day = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    before = snapshot()
    for service, professional in [
        (other_scene["service"].id, owner_of(clinic).id),
        (service_of(clinic).id, other_scene["professional"].id),
    ]:
        response = owner.post(
            f"{page}/sessions",
            {"service": str(service), "professional": str(professional), "day": day, "time": "10:00"},
            page=page,
        )
        assert response.status_code in (404, 422), response.status_code
    assert snapshot() == before


def test_the_sweep_reaches_rows_of_ones_own_clinic(app, clinic, owner):
    """A control: the same professional opens their own clinic's rows (so the 404s above are the tenancy
    check, not a broken sign-in or a wrong path)."""
    client = make_client(clinic)
    request = Request.create(clinic=clinic, client=client, message="hello", answers=[])
    session = make_session(clinic, 72, channel="direct", client=client)
    for path in (
        f"/workstation/requests/{request.id}",
        f"/workstation/clients/{client.id}",
        f"/workstation/sessions/{session.id}",
    ):
        assert owner.client.get(path).status_code == 200, path

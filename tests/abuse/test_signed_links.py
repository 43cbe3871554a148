"""Every kind of signed link (/r/ /b/ /h/ /m/ /c/ /f/ /confirm/) and every public form's token, tampered with,
truncated, of the wrong kind, signed by a key rotated out of FRONTDESK_SECRET_KEYS, expired (where timed),
revoked and replayed: each answers a clear page (404, 409, 410 or 422 as the app gives), changes nothing in
the database, and never errs with a 500.

The link routes come from the app's url_map: a new public route taking a token of a kind these tests do not
know fails the walk, naming it.
"""

import contextlib
import datetime as dt
import json
import time

import pytest
from flask import current_app, url_for
from frontdesk import accounts, links
from frontdesk.models import Client, Clinic, Hub, Professional, Request, utcnow
from itsdangerous.encoding import base64_decode, base64_encode
from itsdangerous.timed import TimestampSigner

from tests.app.booking_fixtures import make_client, make_session, owner_of, service_of, slots
from tests.conftest import snapshot
from tests.pages import form_token

from .conftest import assert_clear_page

RETIRED = ["a-key-rotated-out-long-ago"]


def keys():
    return current_app.config["SECRET_KEYS"]


@contextlib.contextmanager
def signed_days_ago(days):
    """Tokens made inside carry a timestamp `days` in the past."""
    real = TimestampSigner.get_timestamp
    TimestampSigner.get_timestamp = lambda self: int(time.time()) - int(days * 86400)
    try:
        yield
    finally:
        TimestampSigner.get_timestamp = real


# --- The scene: one clinic with every kind of link --------------------------------------------------


@pytest.fixture
def scene(app, clinic, hub):
    owner = owner_of(clinic)
    rowan = Professional.get(Professional.email == "rowan@harbour.example")
    kim = make_client(clinic)
    session = make_session(clinic, 72, channel="hub", client=kim, hub=hub)
    waiting = Request.create(clinic=clinic, client=kim)
    held = make_session(
        clinic, 96, channel="direct", client=kim, status="held", hold_until=utcnow() + dt.timedelta(minutes=30)
    )
    return {
        "clinic": clinic,
        "owner": owner,
        "rowan": rowan,
        "hub": hub,
        "client": kim,
        "session": session,
        "request": waiting,
        "held": held,
    }


def fresh(row):
    return type(row).get_by_id(row.id)


def token_of(kind, scene, secret_keys=None):
    """A genuine token of one kind for the scene's row, signed with `secret_keys` (the app's by default)."""
    secret_keys = secret_keys or keys()
    return {
        "r": lambda: links.request_token(secret_keys, fresh(scene["clinic"])),
        "b": lambda: links.booking_token(secret_keys, fresh(scene["owner"])),
        "h": lambda: links.hub_token(secret_keys, fresh(scene["hub"])),
        "m": lambda: links.manage_token(secret_keys, fresh(scene["session"])),
        "c": lambda: links.dashboard_token(secret_keys, fresh(scene["client"])),
        "workstation": lambda: accounts.reset_token(secret_keys, fresh(scene["owner"])),  # /workstation/reset/
        "f": lambda: links.feed_token(secret_keys, fresh(scene["owner"])),
        "confirm": lambda: links.hold_token(secret_keys, fresh(scene["held"])),
    }[kind]()


def _flip(text, index):
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


def forged(token):
    """The token's payload rewritten to name the next row's id, its signature kept."""
    payload, rest = token.split(".", 1)
    values = json.loads(base64_decode(payload))
    values[0] += 1
    return base64_encode(json.dumps(values, separators=(",", ":")).encode()).decode() + "." + rest


def bad_tokens(kind, scene):
    """Every way a token of `kind` can be wrong, by name."""
    genuine = token_of(kind, scene)
    signature = genuine.rsplit(".", 1)[1]
    other_kind = token_of("m" if kind != "m" else "b", scene)
    return {
        "tampered signature": genuine[: -len(signature)] + _flip(signature, len(signature) // 2),
        "forged payload": forged(genuine),
        "truncated by 4": genuine[:-4],
        "payload only": genuine.split(".")[0],
        "halved": genuine[: len(genuine) // 2],
        "another kind's token": other_kind,
        "rotated-out key": token_of(kind, scene, RETIRED),
        "garbage": "not-a-token",
        "huge": "A" * 4000,
    }


# Each link kind -> how its routes' other arguments are filled in.
EXTRA_ARGUMENTS = {
    "professional_id": lambda scene, rule: (scene["rowan"] if rule.endswith("/request") else scene["owner"]).id,
    "request_id": lambda scene, rule: scene["request"].id,
}


def link_routes(app):
    """(kind, endpoint, rule, method) of every route that takes a signed link token (the client's, and the
    workstation's password reset)."""
    known = {"r", "b", "h", "m", "c", "f", "confirm", "workstation"}
    routes = []
    for rule in app.url_map.iter_rules():
        if "token" not in rule.arguments or rule.endpoint == "workstation.invitation":
            continue  # an invitation's bad link is a 410 page of its own: tests/app/test_team.py
        kind = rule.rule.split("/")[1]
        if kind not in known:
            pytest.fail(
                f"{rule.rule} ({rule.endpoint}) takes a token of a kind these tests do not know: add it to {__name__}"
            )
        unknown = rule.arguments - {"token"} - set(EXTRA_ARGUMENTS)
        if unknown:
            pytest.fail(f"{rule.rule} ({rule.endpoint}) takes {', '.join(sorted(unknown))}: teach {__name__}")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((kind, rule, method))
    return routes


def path_for(app, rule, token, scene):
    values = {name: fill(scene, rule.rule) for name, fill in EXTRA_ARGUMENTS.items() if name in rule.arguments}
    with app.test_request_context():
        return url_for(rule.endpoint, token=token, **values)


GOOD_FORM = {"name": "Sam Rivera", "email": "sam@example.com"}


def test_every_link_route_is_walked(app):
    kinds = {kind for kind, _, _ in link_routes(app)}
    assert kinds == {"r", "b", "h", "m", "c", "f", "confirm", "workstation"}
    assert len(link_routes(app)) >= 15


def test_every_bad_link_token_is_not_found_and_changes_nothing(app, scene):
    """Tampered, forged, truncated, another kind's, signed by a rotated-out key, garbage: a 404 page on every
    route of every link kind, with GET and POST, and every row as it was."""
    before = snapshot()
    checked = 0
    for kind, rule, method in link_routes(app):
        for name, token in bad_tokens(kind, scene).items():
            path = path_for(app, rule, token, scene)
            response = app.test_client().open(path, method=method, data=GOOD_FORM if method == "POST" else None)
            assert response.status_code == 404, (name, method, path, response.status_code)
            assert_clear_page(response, {404})
            checked += 1
    assert snapshot() == before
    assert checked >= 15 * 9


def test_a_link_signed_by_an_older_key_still_works_and_by_a_removed_key_does_not(app, scene):
    """Key rotation: a link signed by the second key of FRONTDESK_SECRET_KEYS still opens; once that key is
    taken out of the list, the same link is a 404."""
    client = app.test_client()
    older = [keys()[1]]
    for kind in ("r", "b", "h", "m", "c"):
        token = token_of(kind, scene, older)
        assert client.get(f"/{kind}/{token}").status_code == 200, kind
    app.config["SECRET_KEYS"] = [keys()[0]]
    before = snapshot()
    for kind in ("r", "b", "h", "m", "c"):
        token = token_of(kind, scene, older)
        assert_clear_page(client.get(f"/{kind}/{token}"), {404})
    assert snapshot() == before


def test_revoked_links_say_they_were_replaced_and_change_nothing(app, scene):
    """A request, booking or hub link after its rotation, and a dashboard link after its nonce changed:
    410 on every route of that kind (GET and POST), nothing changed."""
    old = {kind: token_of(kind, scene) for kind in ("r", "b", "h", "c", "f")}
    Clinic.update(request_link_version=Clinic.request_link_version + 1).execute()
    Professional.update(
        booking_link_version=Professional.booking_link_version + 1, feed_version=Professional.feed_version + 1
    ).execute()
    Hub.update(link_version=Hub.link_version + 1).execute()
    Client.update(dashboard_nonce="revoked").execute()
    before = snapshot()
    for kind, rule, method in link_routes(app):
        if kind not in old:
            continue
        path = path_for(app, rule, old[kind], scene)
        response = app.test_client().open(path, method=method, data=GOOD_FORM if method == "POST" else None)
        assert_clear_page(response, {410})
    assert snapshot() == before


def test_an_expired_dashboard_link_offers_a_new_one_and_changes_nothing(app, scene):
    with signed_days_ago(31):
        expired = token_of("c", scene)
    before = snapshot()
    response = app.test_client().get(f"/c/{expired}")
    assert_clear_page(response, {410})
    assert "expired" in response.get_data(as_text=True)
    assert "Kim Lee" not in response.get_data(as_text=True)
    assert snapshot() == before


def test_a_used_manage_link_acts_no_more(app, scene):
    """After the session was cancelled through its link, the same link (and its cancel form) changes nothing:
    the page shows where the session stands, a second cancel is a 409."""
    client = app.test_client()
    token = token_of("m", scene)
    form = form_token(client.get(f"/m/{token}/cancel"))
    assert client.post(f"/m/{token}/cancel", data={"form_token": form}).status_code == 200
    before = snapshot()
    assert_clear_page(client.post(f"/m/{token}/cancel", data={"form_token": form}), {409})
    assert_clear_page(client.post(f"/m/{token}/reschedule", data={"form_token": form}), {403, 409})
    assert client.get(f"/m/{token}").status_code == 200
    assert snapshot() == before


# --- Form tokens -----------------------------------------------------------------------------------


class PublicForm:
    """One public form: where it is shown, where it is sent, what a person fills in, and its link token."""

    def __init__(self, name, page, action, data, link, refused=(422,), replay=(200,)):
        self.name, self.page, self.action, self.data, self.link = name, page, action, data, link
        self.refused, self.replay = set(refused), set(replay)


def public_forms(app, scene):
    """Every public form of the scene, each ready to send a valid submission."""
    client = app.test_client()
    clinic, owner, rowan = scene["clinic"], scene["owner"], scene["rowan"]
    r, b, h, m, c, k = (token_of(kind, scene) for kind in ("r", "b", "h", "m", "c", "confirm"))
    service = service_of(clinic).id
    booking_start = slots(client.get(f"/b/{b}"))[0].isoformat()
    hub_start = slots(client.get(f"/h/{h}/p/{owner.id}"))[1].isoformat()
    move_to = slots(client.get(f"/m/{m}/reschedule"))[2].isoformat()
    return [
        PublicForm("request form", f"/r/{r}", f"/r/{r}", dict(GOOD_FORM), r),
        PublicForm(
            "booking details",
            f"/b/{b}/book?service={service}&start={booking_start}",
            f"/b/{b}/book?service={service}",
            dict(GOOD_FORM, start=booking_start),
            b,
        ),
        PublicForm(
            "hub booking details",
            f"/h/{h}/p/{owner.id}/book?service={service}&start={hub_start}",
            f"/h/{h}/p/{owner.id}/book?service={service}",
            dict(GOOD_FORM, start=hub_start),
            h,
        ),
        PublicForm(
            "hub request form", f"/h/{h}/p/{rowan.id}/request", f"/h/{h}/p/{rowan.id}/request", dict(GOOD_FORM), h
        ),
        PublicForm("dashboard link form", "/c/", "/c/", {"email": "kim@example.com"}, "dashboard-link"),
        PublicForm("dashboard reminders", f"/c/{c}", f"/c/{c}/reminders", {"reminders": "off"}, c),
        PublicForm("manage cancel", f"/m/{m}/cancel", f"/m/{m}/cancel", {}, m, replay=(409,)),
        PublicForm(
            "manage reschedule",
            f"/m/{m}/reschedule",
            f"/m/{m}/reschedule",
            {"start": move_to, "confirm": "1"},
            m,
            refused=(409,),
            replay=(403, 409),
        ),
        PublicForm("confirm a hold", f"/confirm/{k}", f"/confirm/{k}", {}, k),
    ]


def bad_form_tokens(form, genuine):
    """Every way a form token can be wrong, by name."""
    signature = genuine.rsplit(".", 1)[1]
    with signed_days_ago(0.3):  # FORM_MAX_AGE is six hours
        expired = links.form_token(keys(), form.link)
    return {
        "missing": "",
        "tampered signature": genuine[: -len(signature)] + _flip(signature, len(signature) // 2),
        "truncated": genuine[:-4],
        "payload only": genuine.split(".")[0],
        "for another link": links.form_token(keys(), form.link + "x"),
        "rotated-out key": links.form_token(RETIRED, form.link),
        "expired": expired,
        "a link token instead": form.link,
    }


def test_every_bad_form_token_is_refused_and_changes_nothing(app, scene):
    forms = public_forms(app, scene)
    before = snapshot()
    for form in forms:
        client = app.test_client()
        genuine = form_token(client.get(form.page))
        for name, token in bad_form_tokens(form, genuine).items():
            response = client.post(form.action, data=dict(form.data, form_token=token))
            assert response.status_code in form.refused, (form.name, name, response.status_code)
            assert_clear_page(response, form.refused)
            assert (
                "not sent" in response.get_data(as_text=True)
                or "could not be verified" in response.get_data(as_text=True)
                or form.name == "manage reschedule"
            ), (form.name, name)
    assert snapshot() == before


@pytest.mark.parametrize(
    "which",
    [
        "request form",
        "booking details",
        "hub booking details",
        "hub request form",
        "dashboard link form",
        "dashboard reminders",
        "manage cancel",
        "manage reschedule",
        "confirm a hold",
    ],
)
def test_a_form_token_used_twice_acts_once(app, scene, which):
    """A form sent twice with the same token (a double submit, a replay): the first is taken, the second
    changes nothing and answers with a page that says so."""
    form = next(f for f in public_forms(app, scene) if f.name == which)
    client = app.test_client()
    token = form_token(client.get(form.page))
    first = client.post(form.action, data=dict(form.data, form_token=token))
    assert first.status_code == 200, (which, first.status_code, first.get_data(as_text=True)[:1000])
    before = snapshot()
    second = client.post(form.action, data=dict(form.data, form_token=token))
    assert second.status_code in form.replay, (which, second.status_code)
    assert second.status_code < 500 and "<h1" in second.get_data(as_text=True)
    assert snapshot() == before, f"replaying the {which} changed the database"

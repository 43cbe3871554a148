"""Security headers on every response, walking the app's url_map with GET wherever a route allows it:
nosniff everywhere; a Content-Security-Policy and a Referrer-Policy on every page; pages reached by a token
send no-referrer and no-store; workstation pages cannot be framed (X-Frame-Options DENY and
frame-ancestors 'none'); error pages carry the same. In production mode every response also carries HSTS.
"""

import inspect
import os

import pytest
from flask import url_for
from frontdesk import accounts, create_app, db, links, security
from frontdesk.models import Invitation, Professional, Request, Service
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter, UnicodeConverter

from tests.app.booking_fixtures import make_client, make_session, owner_of

STATIC_ROOT = os.path.join(os.path.dirname(security.__file__), "static")


@pytest.fixture
def scene(app, clinic, hub):
    kim = make_client(clinic)
    return {
        "clinic": clinic,
        "owner": owner_of(clinic),
        "hub": hub,
        "client": kim,
        "request": Request.create(clinic=clinic, client=kim, message="hello", answers=[]),
        "session": make_session(clinic, 72, channel="hub", client=kim, hub=hub),
        "rowan": Professional.get(Professional.email == "rowan@harbour.example"),
        "service": Service.get(Service.clinic == clinic),
    }


def _static_file():
    for folder, _, files in os.walk(STATIC_ROOT):
        for name in sorted(files):
            return os.path.relpath(os.path.join(folder, name), STATIC_ROOT)
    pytest.fail("no static file to ask for")


def _token(kind, scene, keys):
    return {
        "r": lambda: links.request_token(keys, scene["clinic"]),
        "b": lambda: links.booking_token(keys, scene["owner"]),
        "h": lambda: links.hub_token(keys, scene["hub"]),
        "m": lambda: links.manage_token(keys, scene["session"]),
        "c": lambda: links.dashboard_token(keys, scene["client"]),
        "reset": lambda: accounts.reset_token(keys, scene["owner"]),  # /workstation/reset/<token>
        "join": lambda: links.invitation_token(keys, _invitation(scene)),  # /workstation/join/<token>
        "f": lambda: links.feed_token(keys, scene["owner"]),
        "confirm": lambda: links.hold_token(keys, scene["session"]),
    }[kind]()


def _invitation(scene):
    return Invitation.get_or_create(clinic=scene["clinic"], email="new@harbour.example", role="professional")[0]


INT_ARGUMENTS = {
    "request_id": "request",
    "client_id": "client",
    "appointment_id": "session",
    "hub_id": "hub",
    "service_id": "service",
}


def get_paths(app, scene):
    """(endpoint, path) of every route that answers GET, its arguments filled with the scene's own rows."""
    keys = app.config["SECRET_KEYS"]
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        values = {}
        for name, converter in rule._converters.items():
            if name == "token" and isinstance(converter, UnicodeConverter):
                parts = rule.rule.split("/")
                values[name] = _token(parts[2] if parts[1] == "workstation" else parts[1], scene, keys)
            elif name == "professional_id":
                values[name] = (scene["rowan"] if rule.rule.endswith("/request") else scene["owner"]).id
            elif isinstance(converter, IntegerConverter) and name in INT_ARGUMENTS:
                values[name] = scene[INT_ARGUMENTS[name]].id
            elif isinstance(converter, PathConverter) and rule.endpoint == "static":
                values[name] = _static_file()
            elif isinstance(converter, AnyConverter):
                values[name] = sorted(converter.items)[0]
            else:
                pytest.fail(f"{rule.rule} ({rule.endpoint}): the header walk cannot fill {name}; teach {__name__}")
        with app.test_request_context():
            paths.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return paths


def check_headers(endpoint, path, response):
    headers = response.headers
    where = (endpoint, path, response.status_code)
    assert response.status_code < 500, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    csp = headers.get("Content-Security-Policy", "")
    if endpoint == "static":
        # Files, not pages: opened as a document, one may run nothing and be framed by nobody.
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, where
        assert headers.get("Referrer-Policy") == "no-referrer", where
        return
    assert "default-src" in csp and "frame-ancestors" in csp and "object-src 'none'" in csp, where
    assert headers.get("Referrer-Policy"), where
    if endpoint.startswith("client."):
        assert headers["Referrer-Policy"] == "no-referrer", where
        assert "no-store" in headers.get("Cache-Control", ""), where
    else:
        assert headers.get("X-Frame-Options") == "DENY", where
        assert "frame-ancestors 'none'" in csp, where


def test_every_get_route_sends_the_security_headers(app, scene, owner):
    """Signed in (the workstation's pages) and signed out (its redirects, and every client page)."""
    anonymous = app.test_client()
    walked = 0
    for endpoint, path in get_paths(app, scene):
        for who in (owner.client, anonymous):
            response = who.get(path)
            check_headers(endpoint, path, response)
            walked += 1
        if endpoint.startswith("workstation.") and endpoint != "workstation.login":
            assert owner.client.get(path).status_code in (200, 302), (endpoint, path)
    assert walked >= 2 * 25


def test_error_pages_send_the_security_headers(app, scene, owner):
    for method, path, data in [
        ("GET", "/no/such/page", None),
        ("GET", "/r/not-a-token", None),
        ("GET", "/m/not-a-token", None),
        ("POST", "/workstation/requests", None),
        ("GET", "/workstation/requests/999999", None),
        ("POST", "/c/", {"email": "x" * 70000}),
    ]:
        response = owner.client.open(path, method=method, data=data)
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
        endpoint = "client.x" if path.startswith(("/r/", "/m/", "/c/")) else "other"
        check_headers(endpoint, path, response)


def test_token_pages_send_no_referrer_and_no_store(app, scene):
    client = app.test_client()
    for kind in ("r", "b", "h", "m", "c"):
        response = client.get(f"/{kind}/{_token(kind, scene, app.config['SECRET_KEYS'])}")
        assert response.status_code == 200, kind
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "no-store" in response.headers["Cache-Control"]
        assert "Set-Cookie" not in response.headers


HAS_HSTS = "Strict-Transport-Security" in inspect.getsource(security)


@pytest.mark.skipif(not HAS_HSTS, reason="server/security.py sends no Strict-Transport-Security yet")
def test_production_mode_sends_hsts_on_every_response(app, scene, database_url, tmp_path):
    """In production mode (https base URL, real keys, a real mail backend) every response, pages, redirects,
    errors and files, carries Strict-Transport-Security; in development it does not."""
    production = create_app(
        {
            "ENV": "production",
            "TESTING": True,
            "DATABASE_URL": database_url,
            "BASE_URL": "https://frontdesk.example",
            "SECRET_KEYS": ["a-production-signing-key-of-forty-characters", "test-key-newest", "test-key-older"],
            "MAIL_BACKEND": "smtp",
            "RATELIMIT_ENABLED": False,
            "FORM_MIN_SECONDS": 0,
        }
    )
    production.instance_path = str(tmp_path / "production-instance")
    with production.app_context():
        db.database.connect(reuse_if_open=True)
        client = production.test_client()
        for endpoint, path in get_paths(app, scene) + [("missing", "/no/such/page")]:
            response = client.get(path, base_url="https://frontdesk.example")
            assert response.status_code < 500, (endpoint, path)
            hsts = response.headers.get("Strict-Transport-Security", "")
            assert "max-age=" in hsts and int(hsts.split("max-age=")[1].split(";")[0]) >= 15552000, (
                endpoint,
                path,
                hsts,
            )
    assert "Strict-Transport-Security" not in app.test_client().get("/workstation/login").headers

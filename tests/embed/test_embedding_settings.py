"""What the server promises an embed, through the test client: which sites may frame which page, no
cookies, cache lifetimes, the confirmation's event, prefilled answers, the snippets in Settings →
Client Access and on the command line."""

import re
from html import unescape
from urllib.parse import urlencode, urlsplit

import pytest
from frontdesk import assets, snippets, urls
from frontdesk.models import Clinic, Professional, Request
from werkzeug.security import generate_password_hash

from tests.conftest import Auth
from tests.pages import field, form_token

from .conftest import EMBED_JS

SETTINGS = "/workstation/settings/client-access"
WEBSITES = "/workstation/settings/client-access/websites"


def path(clinic):
    return urlsplit(urls.request_link(Clinic.get_by_id(clinic.id))).path


def frame_ancestors(response):
    return re.search(r"frame-ancestors ([^;]+)", response.headers["Content-Security-Policy"]).group(1)


def list_websites(clinic, *origins):
    Clinic.update(allowed_origins=list(origins)).where(Clinic.id == clinic.id).execute()


def send(client, link, **fields):
    token = form_token(client.get(link))
    return client.post(
        link, data=dict({"name": "Sam Rivera", "email": "sam@example.com", "form_token": token}, **fields)
    )


# --- who may frame what ----------------------------------------------------------------------------


def test_a_clinic_without_listed_websites_can_have_its_form_framed_anywhere(client, clinic):
    assert frame_ancestors(client.get(path(clinic))) == "*"


def test_a_clinic_with_listed_websites_has_its_form_framed_by_those_only(client, clinic, other_clinic):
    list_websites(clinic, "https://www.harbour.example", "http://localhost:8000")
    form = client.get(path(clinic))
    assert frame_ancestors(form) == "'self' https://www.harbour.example http://localhost:8000"
    assert (
        frame_ancestors(client.post(path(clinic), data={}))
        == "'self' https://www.harbour.example http://localhost:8000"
    )
    assert frame_ancestors(client.get(path(other_clinic))) == "*"


def test_the_replaced_and_closed_pages_follow_the_clinics_list_too(client, clinic):
    list_websites(clinic, "https://www.harbour.example")
    old = path(clinic)
    Clinic.update(request_link_version=Clinic.request_link_version + 1).where(Clinic.id == clinic.id).execute()
    replaced = client.get(old)
    assert replaced.status_code == 410
    assert frame_ancestors(replaced) == "'self' https://www.harbour.example"
    Clinic.update(requests_enabled=False).where(Clinic.id == clinic.id).execute()
    assert frame_ancestors(client.get(path(clinic))) == "'self' https://www.harbour.example"


def test_the_workstation_is_never_framed(client, clinic):
    list_websites(clinic, "https://www.harbour.example")
    login = client.get("/workstation/login")
    assert frame_ancestors(login) == "'none'"
    assert login.headers["X-Frame-Options"] == "DENY"


# --- no cookies, cache lifetimes -------------------------------------------------------------------


def test_the_form_and_its_confirmation_set_no_cookie(client, clinic):
    assert "Set-Cookie" not in client.get(path(clinic)).headers
    sent = send(client, path(clinic))
    assert sent.status_code == 200 and "Set-Cookie" not in sent.headers


def test_the_pages_name_hashed_assets_that_are_cached_for_good(client, clinic):
    page = client.get(path(clinic)).get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="(/static/gen/[^"]+)"', page)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{8}\.(css|js)$", asset), asset
        response = client.get(asset)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_embed_js_is_at_a_stable_address_minified_and_cached_briefly(client):
    """Snippets pasted into websites cannot follow a hashed name, so embed.js keeps one address and a
    short cache lifetime: a new version reaches every website within the hour."""
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript")
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert response.get_data(as_text=True).strip() == assets.minify_script(EMBED_JS.read_text()).strip()
    assert client.get("/embed.js", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


# --- what the form takes from the embed and gives back -----------------------------------------------


def test_the_confirmation_tells_the_embed_which_request_was_made(client, clinic):
    page = send(client, path(clinic)).get_data(as_text=True)
    request = Request.get()
    assert f'data-frontdesk-event="submitted" data-frontdesk-id="{request.id}"' in page


def test_a_name_and_email_in_the_address_are_neither_filled_in_nor_carried_on(client, clinic):
    """Personal data never travels in a URL (it would reach every access log): embed.js passes the
    website's name and email by message, and an address that carries them anyway is not echoed."""
    query = "?" + urlencode({"name": "Sam Rivera", "email": "sam@example.com", "origin": "http://localhost:8000"})
    page = unescape(client.get(path(clinic) + query).get_data(as_text=True))
    assert (field(page, "name"), field(page, "email")) == ("", "")
    assert "Sam Rivera" not in page and "sam@example.com" not in page


# --- the snippets, in Settings and on the command line -----------------------------------------------


@pytest.fixture
def owner_browser(app, clinic):
    auth = Auth(app.test_client())
    assert auth.login().status_code == 302
    return auth


def test_the_owner_sees_every_snippet_with_a_copy_button(owner_browser, clinic):
    page = unescape(owner_browser.client.get(SETTINGS).get_data(as_text=True))
    for kind in snippets.KINDS:
        assert snippets.request_form(kind, clinic) in page
    assert page.count("data-copy=") >= len(snippets.KINDS) + 1


def test_the_owner_lists_the_clinics_websites(owner_browser, clinic, client):
    typed = "https://www.harbour.example/\n\nHTTP://Blog.Harbour.Example:8080"
    response = owner_browser.post(WEBSITES, {"allowed_origins": typed}, page=SETTINGS)
    assert response.status_code == 302
    assert Clinic.get_by_id(clinic.id).allowed_origins == [
        "https://www.harbour.example",
        "http://blog.harbour.example:8080",
    ]
    assert (
        frame_ancestors(client.get(path(clinic)))
        == "'self' https://www.harbour.example http://blog.harbour.example:8080"
    )
    page = unescape(owner_browser.client.get(SETTINGS).get_data(as_text=True))
    assert "https://www.harbour.example\nhttp://blog.harbour.example:8080" in page


def test_a_mistyped_website_is_explained_and_nothing_is_saved(owner_browser, clinic):
    list_websites(clinic, "https://www.harbour.example")
    typed = "https://ok.example\nharbour.example/contact"
    response = owner_browser.post(WEBSITES, {"allowed_origins": typed}, page=SETTINGS)
    assert response.status_code == 422
    assert "must start with https://" in unescape(response.get_data(as_text=True))
    assert Clinic.get_by_id(clinic.id).allowed_origins == ["https://www.harbour.example"]


def test_only_the_owner_changes_the_websites(app, clinic):
    Professional.create(
        clinic=clinic,
        email="ben@harbour.example",
        name="Ben Okafor",
        password_hash=generate_password_hash("staff-password"),
    )
    staff = Auth(app.test_client())
    staff.login("ben@harbour.example", "staff-password")
    response = staff.post(WEBSITES, {"allowed_origins": "https://evil.example"}, page=SETTINGS)
    assert response.status_code == 403
    assert Clinic.get_by_id(clinic.id).allowed_origins == []


@pytest.mark.parametrize("kind", list(snippets.KINDS))
def test_the_command_prints_the_same_snippet_as_settings(app, runner, clinic, kind):
    result = runner.invoke(args=["snippet", kind, clinic.slug])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == snippets.request_form(kind, clinic)


def test_the_command_names_a_clinic_it_does_not_know(runner, clinic):
    result = runner.invoke(args=["snippet", "inline", "no-such-clinic"])
    assert result.exit_code != 0 and "no-such-clinic" in result.output

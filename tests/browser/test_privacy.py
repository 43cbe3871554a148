"""Export and erasure from the workstation, in a real browser: the owner downloads a client's data, erases
them after a confirm step, and reads the audit log; in English and in Arabic (right to left), on a phone and
a desktop. Screenshots: test-output/browser/privacy-*.png."""

import json

import pytest
from frontdesk.models import Client
from playwright.sync_api import expect

from tests.app.booking_fixtures import make_client, make_session
from tests.conftest import DESKTOP, PHONE

OWNER_EMAIL = "owner@harbour.example"
WORDS = {
    "en": {
        "sign_in": "Sign in",
        "download": "Download their data",
        "erase_link": "Erase this client…",
        "erase": "Erase this client",
        "audit": "Audit log",
    },
    "ar": {
        "sign_in": None,
        "download": "تنزيل بياناته",
        "erase_link": "محو هذا العميل…",
        "erase": "محو هذا العميل",
        "audit": "سجل التدقيق",
    },
}


def sign_in(chromium, live_server, locale):
    context = chromium.new_context(viewport=DESKTOP, locale=locale, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server("/workstation/login"))
    page.locator("#email").fill(OWNER_EMAIL)
    page.locator("#password").fill("owner-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/workstation/requests")
    return context, page


def both_sizes(page, screenshot, name):
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_owner_exports_then_erases_a_client(
    request, app, live_server, clinic, chromium, screenshot, lang, tmp_path
):
    if "postgresql" in request.node.callspec.id:
        pytest.skip("the browser walk runs on SQLite; the erasure itself is tested on both databases")
    client = make_client(clinic, email="noor@example.com", name="Noor Haddad")
    make_session(clinic, 48, channel="direct", client=client)
    words = WORDS[lang]
    context, page = sign_in(chromium, live_server, lang)
    try:
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        page.goto(live_server(f"/workstation/clients/{client.id}"))
        download_button = page.get_by_role("button", name=words["download"])
        download_button.focus()
        both_sizes(page, screenshot, f"privacy-{lang}-client")
        with page.expect_download() as info:
            download_button.click()
        download = info.value
        assert download.suggested_filename == f"client-{client.id}-export.json"
        data = json.loads(open(download.path(), encoding="utf-8").read())
        assert data["client"]["name"] == "Noor Haddad" and len(data["sessions"]) == 1

        page.get_by_role("link", name=words["erase_link"]).click()
        expect(page.get_by_role("button", name=words["erase"])).to_be_visible()
        both_sizes(page, screenshot, f"privacy-{lang}-erase-confirm")
        page.get_by_role("button", name=words["erase"]).click()
        page.wait_for_url("**/workstation/privacy")
        both_sizes(page, screenshot, f"privacy-{lang}-overview")
        erased = Client.get_by_id(client.id)
        assert "Noor" not in erased.name and erased.email.endswith("@erased.invalid")
        assert "Noor Haddad" not in page.content()

        page.get_by_role("link", name=words["audit"]).first.click()
        expect(page.locator("table.audit")).to_be_visible()
        both_sizes(page, screenshot, f"privacy-{lang}-audit")
        assert page.locator("table.audit tbody tr").count() >= 3  # opened, exported, erased
    finally:
        context.close()

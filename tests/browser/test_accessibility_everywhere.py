"""axe-core (4.12.1, bundled by axe-playwright-python) on every client page a person uses, at phone and
desktop width, in English and in Arabic (right to left): no serious or critical issue anywhere, and no
page wider than the screen. The workstation's pages have theirs in test_workstation_fits.py."""

import datetime as dt
import pathlib
from urllib.parse import urlsplit

import pytest

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    Axe = None

from frontdesk import urls
from frontdesk.models import utcnow

from tests.app.booking_fixtures import make_session, owner_of
from tests.embed.conftest import DESKTOP, PHONE
from tests.pages import parse

pytestmark = pytest.mark.browser

# Every page as axe saw it, for people to look at after a run.
SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "test-output" / "accessibility"

OPTIONS = {"resultTypes": ["violations"]}
HOLD = dt.timedelta(minutes=30)


def serious(page):
    results = Axe().run(page, options=OPTIONS).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def client_pages(clinic, hub, client_app):
    """Every client page, by its address (on this server, not framed: axe checks the page itself)."""
    owner = owner_of(clinic)
    booking = urls.booking_link(owner)
    start = parse(client_app.get(urlsplit(booking).path)).find("button", name="start")
    hub_session = make_session(clinic, 72, channel="hub", hub=hub)
    requested = make_session(clinic, 96, channel="request", client=hub_session.client)
    held = make_session(
        clinic, 120, channel="direct", client=hub_session.client, status="held", hold_until=utcnow() + HOLD
    )
    return {
        "request form": urls.request_link(clinic),
        "booking calendar": booking,
        "booking details": f"{booking}/book?start={start['value']}",
        "hub": urls.hub_link(hub),
        "hub calendar": f"{urls.hub_link(hub)}/p/{owner.id}",
        "manage": urls.manage_link(hub_session),
        "cancel": urls.manage_link(requested) + "/cancel",
        "reschedule": urls.manage_link(hub_session) + "/reschedule",
        "dashboard": urls.dashboard_link(hub_session.client),
        "dashboard link": urls.external_url("client.new_dashboard_link"),
        "confirm a held session": urls.hold_confirm_link(held),
    }


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_no_page_has_a_serious_accessibility_issue_or_is_wider_than_the_screen(
    app, live_server, clinic, hub, chromium, locale, size
):
    pages = client_pages(clinic, hub, app.test_client())
    context = chromium.new_context(viewport=size, locale=locale)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        problems = {}
        for name, address in pages.items():
            if locale == "ar":
                # A client's pages follow their saved language; the embed's lang asks for Arabic.
                address += ("&" if "?" in address else "?") + "lang=ar"
            page.goto(address)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
            page.screenshot(path=str(SCREENSHOTS / f"{locale}-{size['width']}-{slug}.png"), full_page=True)
            found = serious(page)
            if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"):
                found.append(f"wider than the screen: {page.evaluate('document.documentElement.scrollWidth')} px")
            if locale == "ar" and page.evaluate("document.documentElement.dir") != "rtl":
                found.append("not right to left")
            if found:
                problems[name] = found
        assert problems == {}
    finally:
        context.close()

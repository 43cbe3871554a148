"""axe-core (bundled by axe-playwright-python) finds nothing serious or critical in the embedded form,
with and without its errors showing, nor in the popup button and its dialog on the clinic's page."""

import pytest

try:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    Axe = expect = None

from frontdesk import snippets

from .conftest import frame_of

pytestmark = pytest.mark.browser

# The embed is scanned on its own: frames are scanned from inside, and the rest of the host page is
# the clinic's, not ours.
OPTIONS = {"resultTypes": ["violations"], "iframes": False}


def serious(target, context=None):
    """axe's serious and critical violations in `target` (a page or a frame), as readable lines."""
    results = Axe().run(target, context=context, options=OPTIONS).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_embedded_form_has_no_serious_accessibility_problems(website, clinic, visit):
    page = visit.page
    page.goto(website.page(snippets.request_form("inline", clinic)))
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Request a service")).to_be_visible()
    assert serious(frame_of(page)) == []

    frame.get_by_role("button", name="Send request").click()
    expect(frame.get_by_role("alert")).to_be_visible()
    assert serious(frame_of(page)) == []


def test_the_popup_has_no_serious_accessibility_problems(website, clinic, visit):
    page = visit.page
    page.goto(website.page(f'<section id="popup">{snippets.request_form("popup", clinic, color="#f9a825")}</section>'))
    assert serious(page, "#popup") == []

    page.get_by_role("button", name="Request a service").click()
    expect(page.frame_locator("dialog iframe").get_by_role("heading", name="Request a service")).to_be_visible()
    assert serious(page, "dialog") == []
    assert serious(frame_of(page, "dialog iframe")) == []

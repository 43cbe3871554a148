"""Two-step sign-in in a real browser: the owner sets it up from their account page with a real
authenticator code (pyotp), keeps the recovery codes, signs out, and signs in again in two steps; in
English and in Arabic (right to left), at phone and desktop width. Screenshots:
test-output/browser/two-factor-<lang>-<width>-<step>.png."""

import datetime

import pyotp
import pytest
from playwright.sync_api import expect

from tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

OWNER_EMAIL = "owner@harbour.example"


def next_code(secret):
    """The app's code for the next 30 seconds: the set-up spent the current one, and the server accepts
    one step of clock drift each way."""
    soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=30)
    return pyotp.TOTP(secret).at(soon)


def fits_the_width(page):
    """Nothing on the page makes it scroll sideways."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_setting_up_two_step_sign_in_and_signing_in_with_a_code(
    chromium, live_server, clinic, screenshot, lang, viewport
):
    context = chromium.new_context(viewport=viewport, locale="en-GB" if lang == "en" else "ar")
    context.set_default_timeout(10_000)
    page = context.new_page()
    shot = f"two-factor-{lang}-{viewport['width']}"
    try:
        page.goto(live_server("/workstation/login"))
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        page.locator("#email").fill(OWNER_EMAIL)
        page.locator("#password").fill("owner-password")
        page.locator("#password").press("Enter")
        expect(page.locator("a.who")).to_be_visible()

        page.locator("a.who").click()
        expect(page.locator("#two-factor-heading")).to_be_visible()
        assert fits_the_width(page)
        screenshot(page, f"{shot}-account")

        page.locator("a.button.primary").click()
        expect(page.locator(".qr svg")).to_be_visible()
        secret = page.locator(".secret-key").inner_text().replace(" ", "")
        code = page.locator("#code")
        code.focus()
        outline = code.evaluate("element => getComputedStyle(element).outlineStyle")
        assert outline != "none", "the focused field shows where the keyboard is"
        assert fits_the_width(page)
        screenshot(page, f"{shot}-setup")
        code.fill(pyotp.TOTP(secret).now())
        code.press("Enter")

        codes = page.locator(".recovery-codes li")
        expect(codes).to_have_count(10)
        assert fits_the_width(page)
        screenshot(page, f"{shot}-recovery-codes")
        page.locator("a.button.primary").click()

        page.locator(".logout button").click()
        page.locator("#email").fill(OWNER_EMAIL)
        page.locator("#password").fill("owner-password")
        page.locator("#password").press("Enter")
        expect(page.locator("#code")).to_be_visible()
        assert "/workstation/login/code" in page.url
        if lang == "en":
            expect(page.get_by_label("Code")).to_be_visible()
        page.locator("#code").fill("000000" if next_code(secret) != "000000" else "111111")
        page.locator("#code").press("Enter")
        expect(page.locator("#code-error")).to_be_visible()
        assert page.locator("#code").get_attribute("aria-invalid") == "true"
        screenshot(page, f"{shot}-code-refused")

        page.locator("#code").fill(next_code(secret))
        page.locator("#code").press("Enter")
        expect(page.locator("a.who")).to_be_visible()
        assert page.url.endswith("/workstation/requests")
    finally:
        context.close()

"""The owner edits a service and the clinic's time zone in a real browser, on a phone and a desktop, in English
and in Arabic (right to left): what they see is what was saved."""

import pytest
from frontdesk.models import Clinic, Service

from tests.app.booking_fixtures import service_of
from tests.conftest import DESKTOP, PHONE

expect = pytest.importorskip("playwright.sync_api").expect


def signed_in(chromium, live_server, locale, viewport=DESKTOP):
    context = chromium.new_context(viewport=viewport, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server("/workstation/login"))
    page.locator("#email").fill("owner@harbour.example")
    page.locator("#password").fill("owner-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/workstation/requests")
    return context, page


def test_the_owner_edits_a_service_and_the_clinics_time_zone(request, app, live_server, clinic, chromium, screenshot):
    if "postgresql" in request.node.callspec.id:
        pytest.skip("the journey and its screenshots need one database")
    service = service_of(clinic)
    context, page = signed_in(chromium, live_server, "en-GB")
    try:
        page.goto(live_server("/workstation/settings/services"))
        page.get_by_role("link", name=service.name).click()
        page.locator("#name").fill("First consultation")
        page.locator("#duration_minutes").fill("60")
        page.get_by_label("Price (GBP)").fill("85")
        page.get_by_label("Clients may book it online").uncheck()
        for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
            page.set_viewport_size(size)
            screenshot(page, f"settings-01-service-edit-{label}")
        page.get_by_role("button", name="Save service").click()
        expect(page.get_by_text("First consultation was saved.")).to_be_visible()
        expect(page.get_by_role("cell", name="£85.00")).to_be_visible()
        edited = Service.get_by_id(service.id)
        assert (edited.name, edited.duration_minutes, edited.price_cents, edited.bookable_online) == (
            "First consultation",
            60,
            8500,
            False,
        )

        page.get_by_role("link", name="Clinic", exact=True).click()
        zone = page.get_by_label("Time zone")
        expect(zone).to_have_value("Europe/London")
        expect(page.get_by_text("Working hours are wall-clock times")).to_be_visible()
        zone.select_option("Atlantic/Reykjavik")
        page.get_by_label("Country").select_option("IS")
        for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
            page.set_viewport_size(size)
            screenshot(page, f"settings-02-clinic-{label}")
        page.get_by_role("button", name="Save clinic settings").click()
        expect(page.get_by_text("Your clinic's settings were saved.")).to_be_visible()
        expect(page.get_by_label("Time zone")).to_have_value("Atlantic/Reykjavik")
        row = Clinic.get_by_id(clinic.id)
        assert (row.timezone, row.country) == ("Atlantic/Reykjavik", "IS")

        page.goto(live_server("/workstation/settings/availability"))
        expect(page.get_by_text("in Atlantic/Reykjavik")).to_be_visible()
        page.get_by_label("Break between sessions (minutes)").focus()
        for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
            page.set_viewport_size(size)
            screenshot(page, f"settings-03-availability-{label}")
    finally:
        context.close()


def test_the_settings_pages_read_right_to_left_in_arabic(request, app, live_server, clinic, chromium, screenshot):
    if "postgresql" in request.node.callspec.id:
        pytest.skip("the screenshots are taken on SQLite")
    service = service_of(clinic)
    context, page = signed_in(chromium, live_server, "ar", PHONE)
    try:
        for name, path in (
            ("clinic", "/workstation/settings/clinic"),
            ("service", f"/workstation/settings/services/{service.id}"),
            ("availability", "/workstation/settings/availability"),
        ):
            page.goto(live_server(path))
            assert page.locator("html").get_attribute("dir") == "rtl"
            # Nothing pushes the page sideways: a right-to-left page that is wider than the screen shows blank.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            expect(page.locator("button.primary, button.secondary").first).to_be_visible()
            for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
                page.set_viewport_size(size)
                screenshot(page, f"settings-ar-{name}-{label}")
        page.goto(live_server("/workstation/settings/clinic"))
        page.get_by_label("المنطقة الزمنية").select_option("Asia/Dubai")
        page.locator("button.primary").click()
        expect(page.get_by_text("تم حفظ إعدادات عيادتك.")).to_be_visible()
        assert Clinic.get_by_id(clinic.id).timezone == "Asia/Dubai"
    finally:
        context.close()

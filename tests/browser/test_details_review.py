"""The professional reviews what a request said about a client already on record, and applies it (issue 12),
on a desk and a phone, left to right and right to left."""

import re

from frontdesk import waitlist
from frontdesk.models import Client, Clinic, Request, new_nonce
from playwright.sync_api import expect

from tests.conftest import DESKTOP, PHONE

from .test_booking_management import OWNER_EMAIL


def review_page(chromium, live_server, request_id, viewport, locale="en-GB"):
    desk = chromium.new_context(viewport=viewport, locale=locale)
    desk.set_default_timeout(10_000)
    page = desk.new_page()
    page.goto(live_server(f"/workstation/login?next=/workstation/requests/{request_id}"))
    page.locator("#email").fill(OWNER_EMAIL)
    page.locator("#password").fill("owner-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/workstation/requests/{request_id}$"))
    return desk, page


def test_the_professional_reviews_and_applies_what_a_request_said(app, live_server, clinic, chromium, screenshot):
    kim = Client.create(clinic=clinic, email="kim@example.com", name="Kim Lee", language="de", status="active")
    waitlist.submit_request(
        clinic, new_nonce(), "Kim Lee-Park", "kim@example.com", "en", client_fields={"phone": "+442079460999"}
    )
    request = Request.get()
    desk, page = review_page(chromium, live_server, request.id, DESKTOP)
    try:
        card = page.get_by_role("region", name="Details to review")
        expect(card).to_be_visible()
        rows = card.locator("tbody tr")
        expect(rows.filter(has_text="Name")).to_contain_text("Kim Lee-Park")
        expect(rows.filter(has_text="Phone")).to_contain_text("+442079460999")
        screenshot(page, "holes-01-details-to-review-desktop")
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        screenshot(page, "holes-02-details-to-review-phone")
        button = card.get_by_role("button", name="Apply these details")
        button.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Kim Lee-Park's record now has the details from this form.")).to_be_visible()
        expect(page.get_by_role("region", name="Details to review")).to_have_count(0)
    finally:
        desk.close()
    assert (Client.get_by_id(kim.id).name, Client.get_by_id(kim.id).phone) == ("Kim Lee-Park", "+442079460999")


def test_the_review_reads_right_to_left_in_arabic(app, live_server, clinic, chromium, screenshot):
    Clinic.update(default_language="ar").where(Clinic.id == clinic.id).execute()
    Client.create(clinic=clinic, email="kim@example.com", name="Kim Lee", language="ar", status="active")
    waitlist.submit_request(clinic, new_nonce(), "كريم لي", "kim@example.com", "ar")
    request = Request.get()
    desk, page = review_page(chromium, live_server, request.id, PHONE, locale="ar")
    try:
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.get_by_role("region", name="بيانات للمراجعة")).to_contain_text("كريم لي")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        screenshot(page, "holes-03-details-to-review-arabic-phone")
        page.set_viewport_size(DESKTOP)
        screenshot(page, "holes-04-details-to-review-arabic-desktop")
    finally:
        desk.close()

"""Team in a real browser: the owner invites a colleague, who opens the emailed link on a phone, sets a name
and password and lands in the workstation; the team page then lists them. Screenshots at 390 px and
1280 px, and in Arabic (right to left): test-output/browser/team-*.png."""

import re

import pytest
from frontdesk.models import Clinic

from tests.conftest import outbox

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def sign_in(page, base, email="owner@harbour.example", password="owner-password"):
    page.goto(f"{base}/workstation/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/workstation/requests"))


def test_the_owner_invites_a_colleague_who_joins_from_the_email(chromium, live_server, clinic, screenshot):
    base = live_server.url
    owner = chromium.new_context(viewport=DESKTOP, locale="en-GB")
    phone = chromium.new_context(viewport=PHONE, locale="en-GB")
    try:
        page = owner.new_page()
        sign_in(page, base)
        page.get_by_role("link", name="Team").click()
        page.get_by_label("Email").fill("ben@harbour.example")
        page.get_by_label("Role", exact=True).select_option("front_desk")
        page.get_by_role("button", name="Send invitation").click()
        page.get_by_text("Invitation sent").wait_for()
        assert page.get_by_text("ben@harbour.example").is_visible()
        screenshot(page, "team-owner-desktop")
        page.set_viewport_size(PHONE)
        screenshot(page, "team-owner-phone")

        link = re.search(r"https?://\S+/workstation/join/\S+", outbox("ben@harbour.example")[-1].text_body).group(0)
        joining = phone.new_page()
        joining.goto(link)
        joining.get_by_role("heading", name="Join Harbour Counselling").wait_for()
        screenshot(joining, "team-join-phone")
        joining.get_by_label("Your name").fill("Ben Okafor")
        joining.get_by_label("Choose a password").fill("a long password")
        joining.keyboard.press("Enter")
        joining.wait_for_url(re.compile(r"/workstation/requests"))
        assert joining.get_by_text("Welcome to Harbour Counselling").is_visible()
        assert joining.get_by_role("link", name="Team").count() == 0
        assert joining.get_by_role("link", name="Settings").count() == 0

        page.set_viewport_size(DESKTOP)
        page.reload()
        assert page.get_by_role("cell", name="Ben Okafor", exact=True).is_visible()
    finally:
        owner.close()
        phone.close()


def test_the_team_page_reads_right_to_left_in_arabic(chromium, live_server, clinic, screenshot):
    Clinic.update(default_language="ar", languages=["ar", "en"]).where(Clinic.id == clinic.id).execute()
    context = chromium.new_context(viewport=PHONE, locale="ar")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/workstation/login")
        page.locator("input[name=email]").fill("owner@harbour.example")
        page.locator("input[name=password]").fill("owner-password")
        page.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/workstation/requests"))
        page.goto(f"{live_server.url}/workstation/team")
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.get_by_role("heading", level=1).wait_for()
        screenshot(page, "team-owner-phone-ar")
        page.set_viewport_size(DESKTOP)
        screenshot(page, "team-owner-desktop-ar")
    finally:
        context.close()

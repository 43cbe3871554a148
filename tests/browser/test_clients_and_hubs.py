"""A new clinic's owner, in a real browser: adds a client who phoned in and books them straight away,
then creates a Wellbeing Hub with themself as a calendar member, whose page lists them. Screenshots
at phone and desktop width, in English and in Arabic (right to left): test-output/browser/clients-*.png."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from frontdesk import urls
from frontdesk.models import Appointment, Client, Hub
from playwright.sync_api import expect

from tests.app.booking_fixtures import owner_of, work_every_day

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def sign_in(page, live_server):
    page.goto(live_server("/workstation/login"))
    page.locator("#email").fill("owner@harbour.example")
    page.locator("#password").fill("owner-password")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/workstation/requests"))


def test_owner_adds_a_phoned_in_client_books_them_and_builds_a_hub(chromium, live_server, clinic, screenshot):
    work_every_day(owner_of(clinic))
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        sign_in(page, live_server)
        page.get_by_role("navigation", name="Workstation").get_by_role("link", name="Clients").click()
        page.get_by_role("link", name="Add a client").click()
        expect(page.get_by_role("heading", name="Add a client")).to_be_visible()
        page.get_by_label("Name").fill("Alex Morgan")
        page.get_by_label("Phone").fill("020 7946 0000")
        screenshot(page, "clients-add-desktop")
        page.get_by_role("button", name="Add client").click()

        alex = Client.get(Client.name == "Alex Morgan")
        expect(page).to_have_url(live_server(f"/workstation/clients/{alex.id}#book-heading"))
        expect(page.get_by_role("status")).to_contain_text("Alex Morgan was added")
        expect(page.get_by_role("heading", name="Alex Morgan", level=1)).to_be_visible()
        day = datetime.datetime.now(ZoneInfo(clinic.timezone)).date() + datetime.timedelta(days=4)
        booking = page.get_by_role("region", name="Book a session")
        booking.get_by_label("Service").select_option(label="Initial consultation (50 min)")
        booking.get_by_label("Date").fill(day.isoformat())
        booking.get_by_label("Time").fill("10:30")
        booking.get_by_role("button", name="Book session").click()
        expect(page.get_by_role("status")).to_contain_text("has no email address: tell them the time yourself")
        session = Appointment.get(Appointment.client == alex)
        sessions = page.get_by_role("region", name="Sessions")
        sessions.get_by_role("link", name=re.compile("10:30")).click()
        expect(page).to_have_url(live_server(f"/workstation/sessions/{session.id}"))
        page.go_back()
        screenshot(page, "clients-booked-desktop")

        # The search is posted: the name typed never shows in the address bar.
        page.get_by_role("navigation", name="Workstation").get_by_role("link", name="Clients").click()
        page.get_by_label("Search by name, email or phone").fill("alex")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.get_by_role("link", name="Alex Morgan")).to_be_visible()
        assert "alex" not in page.url.lower()

        # A Wellbeing Hub with the owner as a calendar member.
        page.goto(live_server("/workstation/settings/hubs"))
        page.get_by_label("Hub name").fill("Northwind Employee Wellbeing")
        page.get_by_role("button", name="Create hub").click()
        expect(page.get_by_role("heading", name="Northwind Employee Wellbeing", level=1)).to_be_visible()
        add = page.locator("form", has=page.get_by_role("button", name="Add member"))
        add.get_by_label("Professional").select_option(label="Ada Byrne")
        add.get_by_label("Show my calendar: clients book free times").check()
        add.get_by_role("button", name="Add member").click()
        expect(page.get_by_role("status")).to_contain_text("Ada Byrne was added to the hub.")
        screenshot(page, "clients-hub-desktop")

        hub = Hub.get(Hub.name == "Northwind Employee Wellbeing")
        visitor = context.new_page()
        visitor.goto(urls.hub_link(hub))
        expect(visitor.get_by_role("heading", name="Northwind Employee Wellbeing")).to_be_visible()
        expect(visitor.locator(".member")).to_contain_text("Ada Byrne")
        expect(visitor.get_by_role("link", name=re.compile("See free times"))).to_be_visible()
        screenshot(visitor, "clients-hub-page-desktop")
    finally:
        context.close()

    for lang, size, width in (("en-GB", PHONE, "phone"), ("ar", PHONE, "phone-ar"), ("ar", DESKTOP, "desktop-ar")):
        context = chromium.new_context(viewport=size, locale=lang)
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            sign_in(page, live_server)
            for path, name in (
                ("/workstation/clients", "list"),
                ("/workstation/clients/new", "add"),
                (f"/workstation/clients/{alex.id}", "client"),
                ("/workstation/settings/hubs", "hubs"),
                (f"/workstation/settings/hubs/{hub.id}", "hub"),
            ):
                page.goto(live_server(path))
                if lang == "ar":
                    assert page.locator("html").get_attribute("dir") == "rtl"
                # Nothing wider than the screen: the page never scrolls sideways.
                assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], (path, lang)
                screenshot(page, f"clients-{name}-{width}")
            page.goto(urls.hub_link(hub))
            screenshot(page, f"clients-hub-page-{width}")
        finally:
            context.close()

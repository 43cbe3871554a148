"""Client pages of issue 12 in a real browser on a phone (390 px), in English and Arabic (right to left): the
page that confirms a held session, the dashboard's "Your data" box, and the consent checkbox of the request
form. Screenshots: test-output/browser/hold-confirm-*.png, dashboard-data-*.png, consent-*.png."""

import datetime as dt

import pytest
from frontdesk import appointments, booking, links, urls
from frontdesk.models import Appointment, Clinic, utcnow
from playwright.sync_api import expect

from tests.app.booking_fixtures import make_client, make_session, owner_of, service_of, work_every_day
from tests.conftest import PHONE

CONFIRM = {"en": "Confirm the session", "ar": "تأكيد الجلسة"}
CONFIRMED = {"en": "Your session is confirmed", "ar": "تم تأكيد جلستك"}
SEE_ALL_AR = "عرض جميع جلساتك"


def sqlite_only(request):
    """These pages look the same on both databases (what they do is tested on both in tests/app)."""
    if "postgresql" in request.node.callspec.id:
        pytest.skip("the page is the same on both databases")


def phone(chromium, locale):
    context = chromium.new_context(viewport=PHONE, locale=locale)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def fits_the_phone(page):
    """Nothing scrolls sideways, and the page runs in the language's direction."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def held_session(app, clinic):
    """A session a client booked from the calendar, held for the clinic's 30 minutes."""
    owner = owner_of(clinic)
    work_every_day(owner)
    Clinic.update(confirm_self_bookings=True).where(Clinic.id == clinic.id).execute()
    kim = make_client(clinic, email="kim@example.com", name="Kim Lee")
    start = booking.local_to_utc(
        booking.utc_to_local(utcnow(), clinic.timezone).date() + dt.timedelta(days=2), dt.time(10), clinic.timezone
    )
    return appointments.book(
        clinic, owner, kim, service_of(clinic), start, 50, booked_by=None, hold_minutes=30, channel="direct"
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_confirm_page_on_a_phone(request, app, live_server, clinic, chromium, screenshot, lang):
    sqlite_only(request)
    session = held_session(app, clinic)
    token = links.hold_token(app.config["SECRET_KEYS"], session)
    context, page = phone(chromium, lang)
    try:
        page.goto(live_server(f"/confirm/{token}?lang={lang}"))
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        button = page.get_by_role("button", name=CONFIRM[lang])
        expect(button).to_be_visible()
        fits_the_phone(page)
        page.keyboard.press("Tab")
        for _ in range(10):  # the keyboard reaches the button, and its focus shows
            if button.evaluate("b => b === document.activeElement"):
                break
            page.keyboard.press("Tab")
        assert button.evaluate("b => getComputedStyle(b).outlineStyle !== 'none'")
        screenshot(page, f"hold-confirm-{lang}-phone")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=CONFIRMED[lang])).to_be_visible()
        fits_the_phone(page)
        screenshot(page, f"hold-confirm-{lang}-done-phone")
        assert Appointment.get_by_id(session.id).status == "booked"
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_dashboard_data_box_on_a_phone(request, app, live_server, clinic, chromium, screenshot, lang):
    sqlite_only(request)
    kim = make_client(clinic, email="kim@example.com", name="Kim Lee")
    make_session(clinic, 48, channel="direct", client=kim)
    context, page = phone(chromium, lang)
    try:
        page.goto(urls.dashboard_link(kim) + f"?lang={lang}")
        download = page.get_by_role("link", name={"en": "Download my data", "ar": "تنزيل بياناتي"}[lang])
        erase = page.get_by_role("button", name={"en": "Ask to erase my data", "ar": "طلب محو بياناتي"}[lang])
        expect(download).to_be_visible()
        expect(erase).to_be_visible()
        fits_the_phone(page)
        for control in (download, erase):  # each fits the card and the phone, with its words on it
            box = control.bounding_box()
            assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"]
        box = page.locator("h2", has=page.locator("text=" + {"en": "Your data", "ar": "بياناتك"}[lang]))
        box.scroll_into_view_if_needed()
        screenshot(page, f"dashboard-data-{lang}-phone")
        erase.click()  # the answer stays in the page's language, and leads back to the sessions
        expect(page.get_by_role("heading", name={"en": "Erase your data", "ar": "محو بياناتك"}[lang])).to_be_visible()
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        expect(page.get_by_role("link", name={"en": "See all your sessions", "ar": SEE_ALL_AR}[lang])).to_be_visible()
        screenshot(page, f"dashboard-erasure-asked-{lang}-phone")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_consent_checkbox_on_a_phone(request, app, live_server, clinic, chromium, screenshot, lang):
    sqlite_only(request)
    Clinic.update(privacy_notice={"en": "https://harbour.example/privacy"}, privacy_consent=True).where(
        Clinic.id == clinic.id
    ).execute()
    context, page = phone(chromium, lang)
    try:
        page.goto(urls.request_link(Clinic.get_by_id(clinic.id)) + f"?lang={lang}")
        box = page.locator("#privacy_consent")
        expect(box).to_be_visible()
        fits_the_phone(page)
        page.locator("label[for=privacy_consent]").click()  # the label is bound: a tap on its words ticks it
        expect(box).to_be_checked()
        words = page.locator("label[for=privacy_consent]").bounding_box()
        tick = box.bounding_box()
        if lang == "ar":  # right to left: the box stands at the right, before the words
            assert tick["x"] > words["x"]
        else:
            assert tick["x"] < words["x"]
        field = page.locator("#privacy_consent-field")
        field.scroll_into_view_if_needed()
        screenshot(field, f"consent-{lang}-phone")
        screenshot(page, f"consent-{lang}-form-phone")
    finally:
        context.close()

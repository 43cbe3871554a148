"""The request flow in a real browser, as the people in DESIGN.md live it.

A client on the clinic's own website (another origin) fills in the request form framed there, the
professional accepts the request in the workstation and books a session. Screenshots of every
page go to test-output/browser/ for people to look at.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from babel import dates

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    expect = None

from frontdesk import urls
from frontdesk.booking import local_to_utc
from frontdesk.models import Appointment, Client, Clinic, Question, Request, Service

from tests.conftest import outbox

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

FRAME = "iframe[title^='Request a service']"
CLIENT_EMAIL = "maya@example.com"
OWNER_EMAIL = "owner@harbour.example"


@pytest.fixture
def asking_clinic(clinic):
    """The clinic's request form asks for a phone number, a reason, consent to its terms, and one
    question of its own, so the client has answers to give."""
    Clinic.update(registration={"phone": "optional", "reason": "required", "terms_consent": "required"}).where(
        Clinic.id == clinic.id
    ).execute()
    Question.create(
        clinic=clinic,
        label="Would you rather meet in person or online?",
        kind="single_choice",
        choices=["In person", "Online"],
        required=True,
    )
    Service.create(clinic=clinic, name="Couples counselling", duration_minutes=80, position=1)
    return Clinic.get_by_id(clinic.id)


def _fill_request(frame, email):
    frame.get_by_label("Your name").fill("Maya Okafor")
    frame.get_by_label("Email").fill(email)
    frame.get_by_label("Phone").fill("020 7946 0958")
    frame.get_by_label("Reason for contact").fill("I have been feeling anxious at work\nand would like to talk.")
    frame.get_by_label("Online").check()
    frame.get_by_label("Service").select_option(label="Initial consultation")
    frame.get_by_label("Message").fill("Weekday evenings suit me best.")
    frame.get_by_label("I agree to the clinic's terms and conditions").check()


def test_client_requests_in_a_framed_form_and_professional_accepts_and_books(
    app, live_server, host_site, asking_clinic, chromium, browser_page, screenshot
):
    page = browser_page

    # The client opens the clinic's own website; the request form sits in an iframe from our server.
    page.set_viewport_size(PHONE)
    page.goto(host_site.url)
    assert host_site.origin != live_server.url
    frame = page.frame_locator(FRAME)
    expect(frame.get_by_role("heading", name="Request a service")).to_be_visible()
    expect(frame.get_by_text("Harbour Counselling", exact=True)).to_be_visible()
    screenshot(page, "01-host-iframe-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "02-host-iframe-desktop")
    page.set_viewport_size(PHONE)

    # First try: a mistyped email. The form comes back with the answers kept and the error inline.
    _fill_request(frame, "maya.example.com")
    frame.get_by_role("button", name="Send request").click()
    alert = frame.get_by_role("alert")
    expect(alert).to_contain_text("Please correct the field marked below.")
    # The answer is brought into view on the clinic's page and has focus, not left above the fold.
    expect(alert).to_be_focused()
    expect(alert).to_be_in_viewport()
    expect(alert.get_by_role("link")).to_have_text(
        ["Email – Please enter a valid email address, like name@example.com."]
    )
    email = frame.get_by_label("Email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(frame.locator("#email-error")).to_have_text("Please enter a valid email address, like name@example.com.")
    expect(email).to_have_accessible_description(re.compile("valid email address"))
    expect(frame.get_by_label("Your name")).to_have_value("Maya Okafor")
    expect(frame.get_by_label("Online")).to_be_checked()
    assert Request.select().count() == 0
    screenshot(page, "03-host-iframe-errors-phone")

    # Corrected, sent: the confirmation shows inside the frame, on the clinic's own page.
    email.fill(CLIENT_EMAIL)
    frame.get_by_role("button", name="Send request").click()
    thanks = frame.get_by_role("heading", name="Thank you, your request was sent")
    expect(thanks).to_be_focused()
    expect(thanks).to_be_in_viewport()
    expect(frame.get_by_text(f"We sent a confirmation to {CLIENT_EMAIL}.")).to_be_visible()
    expect(page.get_by_role("heading", name="Ask for an appointment")).to_be_visible()  # still on the host page
    screenshot(page, "04-host-iframe-confirmation-phone")

    request = Request.get()
    assert request.status == "pending" and request.client.email == CLIENT_EMAIL
    assert request.client.status == "waitlist" and request.client.phone == "+442079460958"
    assert request.service.name == "Initial consultation" and request.message == "Weekday evenings suit me best."
    answers = {a.get("key") or a.get("question"): a["value"] for a in request.answers}
    assert answers["reason"].startswith("I have been feeling anxious")
    assert answers["Would you rather meet in person or online?"] == "Online"
    assert answers["terms_consent"] is True
    assert [m.subject for m in outbox(CLIENT_EMAIL)] == ["We received your request to Harbour Counselling"]
    assert [m.subject for m in outbox(OWNER_EMAIL)] == ["New request"]

    # The professional, at their own desk (another browser profile), signs in to the workstation.
    desk = chromium.new_context(viewport=DESKTOP, locale="en-GB")
    try:
        pro = desk.new_page()
        pro.goto(live_server("/workstation/login"))
        expect(pro.get_by_role("heading", name="Sign in to your workstation")).to_be_visible()
        screenshot(pro, "09-workstation-login")
        pro.get_by_label("Email").fill(OWNER_EMAIL)
        pro.get_by_label("Password").fill("owner-password")
        pro.get_by_role("button", name="Sign in").click()
        expect(pro.get_by_role("heading", name="Requests", exact=True)).to_be_visible()

        pro.get_by_role("navigation", name="Workstation").get_by_role("link", name=re.compile("^Requests")).click()
        expect(pro).to_have_url(live_server("/workstation/requests"))
        expect(pro.get_by_text("1 request is waiting.")).to_be_visible()
        row = pro.get_by_role("row").filter(has_text="Maya Okafor")
        expect(row).to_contain_text(CLIENT_EMAIL)
        expect(row).to_contain_text("Initial consultation")
        screenshot(pro, "10-workstation-requests")

        row.get_by_role("link", name="Maya Okafor").click()
        expect(pro.get_by_role("heading", name="Request from Maya Okafor")).to_be_visible()
        details = pro.locator("dl.details")
        for label, value in [
            ("Email", CLIENT_EMAIL),
            ("Service", "Initial consultation"),
            ("Message", "Weekday evenings suit me best."),
            ("Phone", "020 7946 0958"),
            ("Reason for contact", "I have been feeling anxious at work"),
            ("Would you rather meet in person or online?", "Online"),
            ("I agree to the clinic's terms and conditions", "Yes"),
            ("Status", "Waiting"),
        ]:
            expect(details.locator("dt", has_text=label).first).to_be_visible()
            expect(details).to_contain_text(value)
        screenshot(pro, "11-workstation-request-detail")

        # Accepting makes Maya a client and books nothing; the professional lands on her page.
        pro.get_by_role("button", name="Accept request").click()
        client = Client.get(Client.email == CLIENT_EMAIL)
        expect(pro).to_have_url(live_server(f"/workstation/clients/{client.id}"))
        expect(pro.get_by_role("status")).to_contain_text(
            "Maya Okafor is now one of your clients. No session is booked yet: book one below."
        )
        expect(pro.get_by_role("heading", name="Maya Okafor", level=1)).to_be_visible()
        expect(pro.get_by_text("No sessions yet.")).to_be_visible()
        expect(pro.get_by_role("link", name=re.compile("^Requests"))).to_contain_text("0")
        screenshot(pro, "12-workstation-client-booking-form")
        assert Client.get_by_id(client.id).status == "active"
        assert Request.get_by_id(request.id).status == "accepted"
        assert Appointment.select().count() == 0

        # She books the first session a few days ahead, in the clinic's timezone.
        zone = ZoneInfo(asking_clinic.timezone)
        day = datetime.datetime.now(zone).date() + datetime.timedelta(days=4)
        booking = pro.get_by_role("region", name="Book a session")
        booking.get_by_label("Service").select_option(label="Initial consultation (50 min)")
        expect(booking.get_by_label("Professional")).to_have_value(str(asking_clinic.professionals.get().id))
        booking.get_by_label("Date").fill(day.isoformat())
        booking.get_by_label("Time").fill("10:30")
        booking.get_by_role("button", name="Book session").click()
        expect(pro.get_by_role("status")).to_contain_text(
            "The session is booked. Maya Okafor will get a confirmation email."
        )
        shown_day = dates.format_date(day, "medium", locale=f"en_{asking_clinic.country}")  # the clinic's country
        sessions = pro.get_by_role("region", name="Sessions")
        expect(sessions.get_by_role("row").filter(has_text=shown_day)).to_contain_text("Initial consultation")
        expect(sessions).to_contain_text("10:30")
        expect(sessions).to_contain_text("On request")
        screenshot(pro, "13-workstation-client-booked")

        pro.get_by_role("link", name="Sessions", exact=True).click()
        expect(pro.get_by_role("heading", name="Upcoming sessions")).to_be_visible()
        # The upcoming list, not the week grid above it (which shows the session in its hour's row).
        row = pro.locator("table.list").get_by_role("row").filter(has_text="Maya Okafor")
        for text in (shown_day, "10:30", "Initial consultation", "Ada Byrne", "On request"):
            expect(row).to_contain_text(text)
        screenshot(pro, "14-workstation-sessions")

        pro.goto(live_server("/workstation/settings/client-access"))
        expect(pro.get_by_label("Direct sign-up link")).to_have_value(host_site.request_link)
        screenshot(pro, "15-workstation-settings-client-access")
        pro.set_viewport_size(PHONE)
        screenshot(pro, "16-workstation-settings-client-access-phone")
        pro.goto(live_server(f"/workstation/clients/{client.id}"))
        screenshot(pro, "17-workstation-client-phone")
    finally:
        desk.close()

    appointment = Appointment.get()
    assert appointment.client_id == client.id and appointment.status == "booked"
    assert appointment.channel == "request" and appointment.service.name == "Initial consultation"
    assert appointment.starts_at == local_to_utc(day, datetime.time(10, 30), asking_clinic.timezone)
    assert appointment.ends_at - appointment.starts_at == datetime.timedelta(minutes=50)
    assert [m.subject for m in outbox(CLIENT_EMAIL)] == [
        "We received your request to Harbour Counselling",
        "Harbour Counselling accepted your request",
        "Your session with Harbour Counselling is booked",
    ]
    assert [m.subject for m in outbox(OWNER_EMAIL)] == [
        "New request",
        "A session was booked",
    ]
    invite = outbox(CLIENT_EMAIL)[-1]
    assert invite.ics_method == "REQUEST" and appointment.uid in invite.ics

    # The emails' HTML parts, as a mail program would show them.
    for message, name in (
        (outbox(CLIENT_EMAIL)[0], "30-mail-request-received"),
        (outbox(OWNER_EMAIL)[0], "31-mail-new-request"),
        (invite, "32-mail-session-booked-client"),
    ):
        page.set_viewport_size(PHONE)
        page.set_content(message.html_body)
        expect(page.get_by_text("Harbour Counselling").first).to_be_visible()
        screenshot(page, name)


def test_request_form_standalone_screenshots(app, live_server, asking_clinic, browser_page, screenshot):
    """The form opened from a shared link (no frame), at phone and desktop widths."""
    page = browser_page
    link = urls.request_link(asking_clinic)
    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.goto(link)
        expect(page.get_by_role("heading", name="Request a service")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow == 0, f"the form scrolls sideways at {size['width']}px"
        screenshot(page, f"05-standalone-{name}")
    page.get_by_role("button", name="Send request").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Please correct the 5 fields marked below.")
    expect(alert.get_by_role("link")).to_have_count(5)
    expect(alert).to_be_focused()
    alert.get_by_role("link", name=re.compile("^Would you rather meet")).click()
    expect(page.get_by_label("In person")).to_be_focused()
    screenshot(page, "06-standalone-errors-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "07-standalone-errors-phone")


def _focused(page):
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {id: el.id, name: el.getAttribute('name'), tag: el.tagName.toLowerCase(), type: el.type || '',
                text: (el.innerText || '').trim(), outlineStyle: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth) || 0, outlineColor: style.outlineColor,
                focusVisible: el.matches(':focus-visible')};
    }""")


def _assert_visibly_focused(state):
    assert state["focusVisible"], state
    assert state["outlineStyle"] not in ("none", "hidden") and state["outlineWidth"] >= 2, state


def _tab_to_submit(page, limit=30):
    """Tab through the form until the submit button has focus; every stop is outlined, none is the honeypot."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = _focused(page)
        seen.append(state["name"] or state["id"] or state["tag"])
        assert state["name"] != "website", "the honeypot field was reached by Tab"
        _assert_visibly_focused(state)
        if state["tag"] == "button" and state["text"] == "Send request":
            return seen
    raise AssertionError(f"the submit button was not reached by Tab; focus went {seen}")


def test_request_form_works_from_the_keyboard(app, live_server, clinic, browser_page, screenshot):
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(urls.request_link(clinic))

    # From the top: the language switcher (one button per language, each visibly focused), then the form.
    languages = page.locator("nav.languages button").count()
    for _ in range(languages):
        page.keyboard.press("Tab")
        switcher = _focused(page)
        assert switcher["name"] == "switch_language", switcher
        _assert_visibly_focused(switcher)
    page.keyboard.press("Tab")
    first = _focused(page)
    assert first["id"] == "name", f"after the language switcher, Tab reached {first}, not the name field"
    _assert_visibly_focused(first)
    screenshot(page, "20-keyboard-focus-name-phone", full_page=False)
    page.keyboard.type("Sam Keys")

    # Enter on the submit button sends the form; the missing email comes back as an error.
    seen = _tab_to_submit(page)
    assert seen[0] == "email" and "website" not in seen
    screenshot(page, "21-keyboard-focus-submit-phone", full_page=False)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Please correct the field marked below.")
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    assert Request.select().count() == 0

    # The answer starts at the list of errors: its link takes the keyboard to the email field.
    expect(page.locator("#form-problem")).to_be_focused()
    page.keyboard.press("Tab")
    link = _focused(page)
    assert link["tag"] == "a" and link["text"] == "Email – Please fill in this field.", link
    _assert_visibly_focused(link)
    screenshot(page, "22-keyboard-error-link-phone", full_page=False)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type("sam@example.com")
    seen = _tab_to_submit(page)
    assert "website" not in seen
    page.keyboard.press(" ")
    expect(page.get_by_role("heading", name="Thank you, your request was sent")).to_be_focused()
    assert Request.select().join(Client).where(Client.email == "sam@example.com").count() == 1


def test_framed_client_pages_set_no_cookies(app, live_server, host_site, clinic, browser_context, browser_page):
    page = browser_page
    set_cookie_headers = []

    def record(response):
        if response.url.startswith(live_server.url):
            header = response.header_value("set-cookie")
            if header:
                set_cookie_headers.append((response.url, header))

    page.on("response", record)
    page.goto(host_site.url)
    frame = page.frame_locator(FRAME)
    frame.get_by_label("Your name").fill("Noor Haddad")
    frame.get_by_label("Email").fill("noor@example.com")
    frame.get_by_role("button", name="Send request").click()
    expect(frame.get_by_role("heading", name="Thank you, your request was sent")).to_be_visible()

    assert browser_context.cookies() == []
    assert set_cookie_headers == []
    assert Request.select().count() == 1

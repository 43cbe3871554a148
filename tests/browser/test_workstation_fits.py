"""Every workstation page fits a phone and reads right to left (issue 13), signed in as the owner of a
clinic with something on every list: at 390 px and 1,280 px, in English and Arabic, no page is wider than
the screen (the skip link included, focused or not), every field has a label, every id is unique, every
list is still a table whose cards name their columns, and axe-core finds nothing serious or critical.

The pages come from the app's url_map (every GET page under /workstation that takes no id), plus one page
of each kind of record, so a new page is checked the day it is added."""

import datetime as dt
import pathlib
import re

import pytest
from flask import url_for
from frontdesk import appointments, hubs, team, waitlist
from frontdesk.models import Client, ExternalBusy, ExternalCalendar, Invitation, Request, Service, new_nonce
from frontdesk.states import Actor, HubMode

from tests.app.booking_fixtures import make_session, owner_of
from tests.browser.test_accessibility_everywhere import serious
from tests.conftest import DESKTOP, PHONE, add_professional

pytestmark = pytest.mark.browser

SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "test-output" / "workstation"

# GET routes under /workstation that are not a signed-in member's page: the sign-in steps, the way back
# in, a redirect and a CSV file.
NOT_PAGES = {
    "workstation.login",
    "workstation.login_code",
    "workstation.forgot_password",
    "workstation.home",
    "workstation.charge_export",
}

# A long address with no place to break: the kind of value that pushes a card past a phone's edge.
LONG_EMAIL = "margret.thorsteinsdottir.haraldsson@reykjavikcounsellingservices.example"


@pytest.fixture
def busy_clinic(clinic, hub):
    """Harbour Counselling with a row on every list: colleagues (one deactivated, with a session to
    reassign), an invitation, clients, a request whose form disagrees with the record, upcoming and past
    sessions, a charge to decide, a service not bookable online, an external calendar that failed after a good
    read and one of its busy times."""
    add_professional(clinic, "fay@harbour.example", name="Fay Desk", role="front_desk")
    leaver = add_professional(clinic, "old@harbour.example", name="Old Hand")
    Invitation.create(clinic=clinic, email=LONG_EMAIL, role="professional")
    Service.create(
        clinic=clinic,
        name="Couples counselling (90 minutes)",
        duration_minutes=90,
        price_cents=12000,
        bookable_online=False,
    )
    kim = Client.create(clinic=clinic, email="kim@example.com", name="Kim Lee", phone="+442079460000", status="active")
    Client.create(clinic=clinic, email=LONG_EMAIL, name="Margrét Þorsteinsdóttir", phone="+3545551234", status="active")
    waitlist.submit_request(
        clinic, new_nonce(), "Kim Lee-Park", "kim@example.com", "en", client_fields={"phone": "+442079460999"}
    )
    session = make_session(clinic, 48, channel="direct", client=kim)
    make_session(clinic, 30, channel="direct", client=kim, professional=leaver)
    hubs.add_member(hub, leaver, HubMode.REQUESTS_ONLY)
    team.set_active(clinic, leaver.id, False)
    appointments.cancel(make_session(clinic, 5, channel="hub", hub=hub, client=kim), Actor.CLIENT)
    calendar = ExternalCalendar.create(
        clinic=clinic,
        professional=owner_of(clinic),
        url="https://calendar.example.org/private-abc/basic.ics",
        label="Personal",
        synced_at=session.starts_at - dt.timedelta(days=1),
        error="timeout",
    )
    busy_day = session.starts_at.date()
    ExternalBusy.create(
        calendar=calendar,
        professional=owner_of(clinic),
        starts_at=dt.datetime.combine(busy_day, dt.time(12)),
        ends_at=dt.datetime.combine(busy_day, dt.time(13)),
    )
    return {"client": kim, "request": Request.get(Request.clinic == clinic), "session": session, "hub": hub}


def workstation_pages(app, scene):
    """{name: path}: a page of each record first (opening them fills the audit log), then every list."""
    ids = {
        "workstation.client_detail": {"client_id": scene["client"].id},
        "workstation.request_detail": {"request_id": scene["request"].id},
        "workstation.session_detail": {"appointment_id": scene["session"].id},
        "workstation.hub_detail": {"hub_id": scene["hub"].id},
        "workstation.edit_client": {"client_id": scene["client"].id},
    }
    rules = [
        rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/workstation") and "GET" in rule.methods
    ]
    listed = sorted(rule.endpoint for rule in rules if not rule.arguments and rule.endpoint not in NOT_PAGES)
    assert len(listed) >= 15, listed
    with app.test_request_context():
        pages = {endpoint: url_for(endpoint, **values) for endpoint, values in ids.items()}
        pages.update({endpoint: url_for(endpoint) for endpoint in listed})
        pages.update({f"sessions-{view}": url_for("workstation.sessions", view=view) for view in ("day", "month")})
        pages["sessions-busy-day"] = url_for("workstation.sessions", day=scene["session"].starts_at.date().isoformat())
    return pages


# What a person (or their screen reader) would trip over on the page as it is, in words.
CHECKS = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    problems.push(`wider than the screen: ${document.documentElement.scrollWidth} px`);
  }
  for (const box of document.querySelectorAll(".table-wrap")) {
    if (box.scrollWidth > box.clientWidth) {
      problems.push(`a list scrolls sideways: ${box.scrollWidth} px in ${box.clientWidth} px`);
    }
  }
  for (const cell of document.querySelectorAll("table.list td")) {
    if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`a value is cut off: "${cell.textContent.trim()}"`);
  }
  // The calendar's first day shows whole beside the hours column, which stays put as the days scroll.
  const hour = document.querySelector(".time-grid th.hour"), day = document.querySelector(".time-grid th.calendar-day");
  if (hour && day) {
    const h = hour.getBoundingClientRect(), d = day.getBoundingClientRect();
    if (d.left < h.right - 1 && d.right > h.left + 1) problems.push("the first day is under the hours column");
  }
  // Hidden inputs too: every form has a CSRF token, and they carry no id (form_base.PageForm).
  const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
  const twice = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (twice.length) problems.push(`ids used twice: ${twice}`);
  for (const label of document.querySelectorAll("label[for]")) {
    if (!label.control) problems.push(`label "${label.textContent.trim()}" names no field (${label.htmlFor})`);
  }
  const fields = document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea");
  for (const field of fields) {
    const named = field.labels.length || field.getAttribute("aria-label")
      || (field.getAttribute("aria-labelledby") || "").split(" ").some((id) => document.getElementById(id));
    if (!named) problems.push(`field without a label: ${field.name || field.id}`);
  }
  for (const table of document.querySelectorAll("table.cards")) {
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        const hidden = !!table.querySelectorAll("thead th")[i]?.querySelector(".visually-hidden");
        if (cell.tagName === "TD" && !hidden && cell.dataset.label !== heads[i]) {
          problems.push(`a card's cell says "${cell.dataset.label}" for the column "${heads[i]}"`);
        }
      });
    }
  }
  for (const field of document.querySelectorAll("input, textarea")) {
    if (/^(https?:|<)/.test(field.value) && getComputedStyle(field).direction !== "ltr") {
      problems.push(`a link or snippet reads right to left: ${field.id || field.name}`);
    }
  }
  if (document.documentElement.dir === "rtl") {
    // An arrow that decorates a link ("← All clients") is drawn mirrored right to left: it is an .arrow.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = walker.currentNode.textContent.trim();
      if (/^[←→]|[←→]$/.test(text) && !walker.currentNode.parentElement.closest(".arrow")) {
        problems.push(`an arrow not mirrored: "${text}"`);
      }
    }
  }
  return problems;
}"""

# Where the skip link is drawn: inside the screen whether it is hidden or has the focus.
SKIP_LINK_OUTSIDE = """() => {
  const r = document.querySelector("a.skip").getBoundingClientRect();
  const width = document.documentElement.clientWidth;
  return r.left < 0 || r.right > width;
}"""


def sign_in(page, live_server):
    page.goto(live_server("/workstation/login"))
    page.locator("#email").fill("owner@harbour.example")
    page.locator("#password").fill("owner-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/workstation/(?!login)"))


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_every_workstation_page_fits_the_screen_and_is_labelled(app, live_server, busy_clinic, chromium, locale, size):
    pages = workstation_pages(app, busy_clinic)
    context = chromium.new_context(viewport=size, locale=locale)
    context.set_default_timeout(15_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page = context.new_page()
        sign_in(page, live_server)
        problems = {}
        for endpoint, path in pages.items():
            response = page.goto(live_server(path))
            found = [f"answered {response.status}"] if response.status != 200 else []
            name = endpoint.removeprefix("workstation.")
            page.screenshot(path=str(SCREENSHOTS / f"{locale}-{size['width']}-{name}.png"), full_page=True)
            found += page.evaluate(CHECKS)
            if page.evaluate(SKIP_LINK_OUTSIDE):
                found.append("the hidden skip link lies outside the screen")
            page.locator("a.skip").focus()
            if page.evaluate(SKIP_LINK_OUTSIDE):
                found.append("the focused skip link lies outside the screen")
            if locale == "ar" and page.evaluate("document.documentElement.dir") != "rtl":
                found.append("not right to left")
            if size == PHONE and page.locator("table.cards").count() > page.get_by_role("table").count():
                found.append("a list shown as cards is no longer a table to a screen reader")
            found += serious(page)
            if found:
                problems[name] = found
        assert problems == {}, "\n".join(f"{page}: {found}" for page, found in problems.items())
    finally:
        context.close()

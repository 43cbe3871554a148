"""Calendar sync in (issue 14): a professional adds the secret address of a calendar they keep elsewhere; the
calendar worker fetches it from a real HTTP server started here (one that answers well, one broken, one huge,
one slow, one redirecting to a private address, a weekly series with exceptions) and its busy times leave the
booking page. Addresses that lead to private networks are refused, a failure keeps the last good busy times
and tells the professional, and the address never shows in full or reaches the worker's output."""

import dataclasses
import datetime as dt
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from frontdesk import calendar_fetch, calendar_sync
from frontdesk.models import Appointment, ExternalBusy, ExternalCalendar, Professional

from tests.conftest import snapshot

from .booking_fixtures import booking_path, hub_path, local_start, make_client, owner_of, slots, work_every_day
from .conftest import first_service, local_today, text

AVAILABILITY = "/workstation/settings/availability"


class FeedServer:
    """An HTTP server on loopback in a thread: each path answers as `routes` says, and every request's path
    and headers are kept. stop() releases a slow answer first, so nothing outlives the test."""

    def __init__(self, family=socket.AF_INET, host="127.0.0.1"):
        self.routes, self.seen, self.released = {}, [], threading.Event()
        feeds = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                feeds.seen.append((self.path, dict(self.headers)))
                feeds.routes[self.path](self)

            def log_message(self, *args):
                pass

        server_class = type("Server", (ThreadingHTTPServer,), {"address_family": family})
        self.httpd = server_class((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def serve(self, path, body, status=200, headers=None):
        def answer(handler):
            if headers and "ETag" in headers and handler.headers.get("If-None-Match") == headers["ETag"]:
                handler.send_response(304)
                handler.end_headers()
                return
            handler.send_response(status)
            for name, value in {"Content-Type": "text/calendar", **(headers or {})}.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        self.routes[path] = answer

    def slow(self, path):
        """Headers at once, then a byte at a time until the test ends."""

        def answer(handler):
            handler.send_response(200)
            handler.send_header("Content-Type", "text/calendar")
            handler.end_headers()
            while not self.released.wait(0.2):
                try:
                    handler.wfile.write(b" ")
                    handler.wfile.flush()
                except OSError:
                    return

        self.routes[path] = answer

    def redirect(self, path, location):
        def answer(handler):
            handler.send_response(302)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = answer

    def stop(self):
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=30)


@pytest.fixture
def feeds(app):
    """The local calendar server, with loopback allowed to the worker (as only tests do)."""
    app.config["CALENDAR_FETCH_ALLOW_LOOPBACK"] = True
    server = FeedServer()
    try:
        yield server
    finally:
        server.stop()


def ics(*events):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Feed//EN"]
    for uid, lines_of_event in events:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", *lines_of_event, "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def utc(moment):
    return moment.strftime("%Y%m%dT%H%M%SZ")


def busy_event(uid, start, minutes=60, *extra):
    """An event busy from `start` (naive UTC) for `minutes`, with a private title that must not be kept."""
    end = start + dt.timedelta(minutes=minutes)
    return (uid, [f"DTSTART:{utc(start)}", f"DTEND:{utc(end)}", "SUMMARY:Therapy for myself", *extra])


def sync(app, **policy):
    """One pass of the calendar worker (what `frontdesk sync-calendars` runs), every calendar due."""
    settings = dataclasses.replace(calendar_sync.policy(app.config), **policy)
    return calendar_sync.sync_due(settings, every=dt.timedelta(0))


def add(auth, url, label="", member=None):
    path = AVAILABILITY + "/calendars" + (f"?member={member.id}" if member else "")
    return auth.post(path, {"url": url, "label": label}, page=AVAILABILITY)


def offered(client, professional):
    return set(slots(client.get(booking_path(professional))))


def test_a_busy_time_in_an_external_calendar_leaves_the_booking_and_hub_pages(app, clinic, owner, hub, feeds):
    """Working 09:00-17:00 with a 50-minute service: a busy hour from 10:00 takes 09:30, 10:00 and 10:30
    from the booking page and the hub's calendar; 09:00 and 11:00 stay. The event's title is stored nowhere."""
    professional = owner_of(clinic)
    ten = local_start(clinic, 3, 10)
    feeds.serve("/basic.ics", ics(busy_event("dentist", ten)))
    browser = app.test_client()
    hub_calendar = f"{hub_path(hub)}/p/{professional.id}"
    before = offered(browser, professional)
    assert {ten, ten - dt.timedelta(minutes=30), ten + dt.timedelta(minutes=30)} <= before
    assert set(slots(browser.get(hub_calendar))) == before

    assert add(owner, feeds.url("/basic.ics"), "Personal").status_code == 302
    assert offered(browser, professional) == before  # nothing is fetched until the worker runs
    assert sync(app) == (1, 0)

    after = offered(browser, professional)
    assert before - after == {ten - dt.timedelta(minutes=30), ten, ten + dt.timedelta(minutes=30)}
    assert {ten - dt.timedelta(hours=1), ten + dt.timedelta(hours=1)} <= after
    assert set(slots(browser.get(hub_calendar))) == after
    assert [(b.starts_at, b.ends_at) for b in ExternalBusy.select()] == [(ten, ten + dt.timedelta(hours=1))]
    assert "Therapy for myself" not in str(snapshot())


def test_a_weekly_series_with_exceptions_blocks_each_occurrence_but_the_removed_one(app, clinic, owner, feeds):
    """Weekly at 10:00 UTC for four weeks, the second week removed (EXDATE) and the third moved to 14:00."""
    professional = owner_of(clinic)
    work_every_day(professional, opens=0, closes=23)
    first = local_start(clinic, 1, 0).replace(hour=10)
    weeks = [first + dt.timedelta(days=7 * n) for n in range(4)]
    moved_to = weeks[2].replace(hour=14)
    feeds.serve(
        "/weekly.ics",
        ics(
            busy_event("series", first, 60, "RRULE:FREQ=WEEKLY;COUNT=4", f"EXDATE:{utc(weeks[1])}"),
            (
                "series",
                [
                    f"RECURRENCE-ID:{utc(weeks[2])}",
                    f"DTSTART:{utc(moved_to)}",
                    f"DTEND:{utc(moved_to.replace(hour=15))}",
                ],
            ),
            busy_event("free", weeks[0].replace(hour=16), 60, "TRANSP:TRANSPARENT"),
            busy_event("off", weeks[0].replace(hour=18), 60, "STATUS:CANCELLED"),
        ),
    )
    add(owner, feeds.url("/weekly.ics"))
    sync(app)
    busy = [(b.starts_at, b.ends_at) for b in ExternalBusy.select().order_by(ExternalBusy.starts_at)]
    hour = dt.timedelta(hours=1)
    assert busy == [(weeks[0], weeks[0] + hour), (moved_to, moved_to + hour), (weeks[3], weeks[3] + hour)]
    page = app.test_client()
    shown = set()
    for start in ("", f"?from={(local_today(clinic) + dt.timedelta(days=14)).isoformat()}"):
        shown |= set(slots(page.get(booking_path(professional) + start)))
    assert weeks[0] not in shown and moved_to not in shown
    assert weeks[1] in shown  # removed from the series
    assert weeks[2] in shown  # the occurrence moved away from it
    assert weeks[0].replace(hour=16) in shown and weeks[0].replace(hour=18) in shown  # free, cancelled


def test_a_failing_calendar_keeps_its_last_good_busy_times_and_says_why(app, clinic, owner, feeds):
    professional = owner_of(clinic)
    work_every_day(professional)
    ten = local_start(clinic, 3, 10)
    feeds.serve("/basic.ics", ics(busy_event("dentist", ten)))
    add(owner, feeds.url("/basic.ics"))
    sync(app)
    kept = offered(app.test_client(), professional)

    for body, status, message in [
        (b"<html>Please sign in</html>", 200, "The address did not give a calendar in iCalendar format."),
        (b"gone", 404, "The calendar's website answered with an error (HTTP 404)."),
    ]:
        feeds.serve("/basic.ics", body, status=status)
        assert sync(app) == (0, 1)
        assert offered(app.test_client(), professional) == kept
        page = text(owner.client.get(AVAILABILITY))
        assert message in page
        assert "Busy times from the last successful read (" in page


@pytest.mark.parametrize("kind", ["huge", "slow", "redirect to private", "too many redirects"])
def test_a_bad_feed_is_refused_within_its_limits(app, clinic, owner, feeds, monkeypatch, kind):
    """A 6 MB calendar (over the 5 MB cap), one that drips a byte at a time past the timeout, a redirect to a
    private address (refused before any connection to it) and a redirect loop: each fails with its reason, in
    bounded time, and nothing is stored."""
    opened = []
    real_pool = calendar_fetch._pool
    monkeypatch.setattr(
        calendar_fetch, "_pool", lambda scheme, address, *a: opened.append(address) or real_pool(scheme, address, *a)
    )
    if kind == "huge":
        feeds.serve("/feed.ics", b"BEGIN:VCALENDAR\r\n" + b"X" * (6 * 1024 * 1024))
    elif kind == "slow":
        feeds.slow("/feed.ics")
    elif kind == "redirect to private":
        feeds.redirect("/feed.ics", "http://10.20.30.40/calendar.ics")
    else:
        feeds.redirect("/feed.ics", "/feed.ics")
    add(owner, feeds.url("/feed.ics"))
    started = time.monotonic()
    assert sync(app, timeout=2.0) == (0, 1)
    assert time.monotonic() - started < 20
    calendar = ExternalCalendar.get()
    expected = {
        "huge": calendar_fetch.TOO_LARGE,
        "slow": calendar_fetch.TIMEOUT,
        "redirect to private": calendar_fetch.FORBIDDEN_ADDRESS,
        "too many redirects": calendar_fetch.TOO_MANY_REDIRECTS,
    }[kind]
    assert calendar.error == expected
    assert calendar.synced_at is None and not ExternalBusy.select().exists()
    assert set(opened) == {"127.0.0.1"}
    assert "It has not been read successfully yet." in text(owner.client.get(AVAILABILITY))


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.8/calendar.ics",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/calendar.ics",
        "http://calendar.example.org/basic.ics",
        "javascript:alert(1)",
        "",
    ],
)
def test_an_address_that_cannot_be_fetched_is_refused_with_a_message_and_changes_nothing(app, clinic, owner, url):
    """Without the test setting, loopback is refused like any private address; plain http too."""
    before = snapshot()
    response = add(owner, url)
    assert response.status_code == 422
    page = text(response)
    assert (
        "This address leads to a private or reserved network" in page
        or "Enter the calendar's https:// address" in page
        or "Please fill in this field." in page
    )
    assert snapshot() == before


def test_loopback_over_ipv6_is_fetched_only_where_the_test_setting_allows():
    """A real server on [::1]: read with the setting on, refused (without connecting) with it off."""
    server = FeedServer(family=socket.AF_INET6, host="::1")
    try:
        server.serve("/basic.ics", ics())
        url = f"http://[::1]:{server.httpd.server_address[1]}/basic.ics"
        assert calendar_fetch.fetch(url, calendar_fetch.Policy(allow_loopback=True)).body == ics()
        with pytest.raises(calendar_fetch.FetchError) as refused:
            calendar_fetch.fetch(url.replace("http://", "https://"), calendar_fetch.Policy())
        assert refused.value.code == calendar_fetch.FORBIDDEN_ADDRESS
        assert len(server.seen) == 1
    finally:
        server.stop()


def test_a_name_that_resolves_to_a_private_address_is_refused_when_fetched(app, clinic, owner, feeds, monkeypatch):
    """The page cannot know where a name leads; the worker does, each time, and refuses."""
    add(owner, "https://calendar.example.org/private-abc/basic.ics")
    monkeypatch.setattr(calendar_fetch, "resolve", lambda host, port: [calendar_fetch.ipaddress.ip_address("10.9.8.7")])
    monkeypatch.setattr(calendar_fetch, "_pool", lambda *a: pytest.fail("a connection was opened"))
    assert sync(app) == (0, 1)
    assert ExternalCalendar.get().error == calendar_fetch.FORBIDDEN_ADDRESS
    assert "This address leads to a private or reserved network" in text(owner.client.get(AVAILABILITY))


def test_an_unchanged_calendar_costs_a_304_and_keeps_its_busy_times(app, clinic, owner, feeds):
    professional = owner_of(clinic)
    ten = local_start(clinic, 3, 10)
    feeds.serve("/basic.ics", ics(busy_event("dentist", ten)), headers={"ETag": '"v1"'})
    add(owner, feeds.url("/basic.ics"))
    assert sync(app) == (1, 0)
    assert sync(app) == (1, 0)
    assert feeds.seen[0][1].get("If-None-Match") is None
    assert feeds.seen[1][1].get("If-None-Match") == '"v1"'
    assert calendar_sync.busy_between(professional, ten, ten + dt.timedelta(hours=1)) == [
        (ten, ten + dt.timedelta(hours=1))
    ]


def test_the_address_is_shown_masked_and_never_printed_by_the_worker(app, clinic, owner, feeds, runner):
    secret = "/calendar/ical/ada%40example.org/private-5f3a9c/basic.ics"
    feeds.serve(secret, ics())
    add(owner, feeds.url(secret), "Personal")
    page = text(owner.client.get(AVAILABILITY))
    assert "private-5f3a9c" not in page and "ada%40example.org" not in page
    assert "127.0.0.1/…" in page and "Personal" in page
    result = runner.invoke(args=["sync-calendars"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "synced 1 calendar(s), 0 failed"
    feeds.serve(secret, b"broken", status=500)
    ExternalCalendar.update(attempted_at=None).execute()
    result = runner.invoke(args=["sync-calendars"])
    assert "private-5f3a9c" not in result.output and "127.0.0.1" not in result.output


def test_the_owner_manages_a_colleagues_calendars_and_is_told_whose(app, clinic, owner, staff, feeds):
    """On a colleague's Availability page the owner adds and removes their calendar; what is said names the
    colleague. The colleague cannot reach the owner's calendar by its id (404), and removing it as the owner
    gives the slots back."""
    ben = Professional.get(email="ben@harbour.example")
    response = add(owner, feeds.url("/ben.ics"), member=ben)
    assert response.status_code == 302
    assert "A calendar of Ben Okafor was added." in text(owner.client.get(response.headers["Location"]))
    calendar = ExternalCalendar.get()
    assert calendar.professional_id == ben.id

    mine = calendar_sync.add_calendar(owner_of(clinic), feeds.url("/mine.ics"), allow_loopback=True)
    before = snapshot()
    refused = staff.post(f"{AVAILABILITY}/calendars/{mine.id}/delete", page=AVAILABILITY)
    assert refused.status_code == 404 and snapshot() == before

    removed = owner.post(f"{AVAILABILITY}/calendars/{calendar.id}/delete?member={ben.id}", page=AVAILABILITY)
    assert removed.status_code == 302
    assert not ExternalCalendar.select().where(ExternalCalendar.id == calendar.id).exists()


@pytest.mark.parametrize(
    "endpoint, data, own, colleagues",
    [
        (
            "/hours",
            {f"works_{d}": "y" for d in range(5)}
            | {f"opens_{d}": "09:00" for d in range(5)}
            | {f"closes_{d}": "17:00" for d in range(5)},
            "Your working hours were saved.",
            "The working hours of Ben Okafor were saved.",
        ),
        (
            "/time-off",
            {"first_day": "2030-01-02", "last_day": "2030-01-03"},
            "Your time off was added.",
            "The time off of Ben Okafor was added.",
        ),
    ],
)
def test_what_is_saved_on_a_colleagues_availability_names_them(
    app, clinic, owner, staff, endpoint, data, own, colleagues
):
    ben = Professional.get(email="ben@harbour.example")
    for auth, query, said in [(owner, f"?member={ben.id}", colleagues), (staff, "", own)]:
        response = auth.post(AVAILABILITY + endpoint + query, data, page=AVAILABILITY)
        assert response.status_code == 302, text(response)
        assert said in text(auth.client.get(response.headers["Location"]))


def test_the_week_grid_shows_busy_times_and_booking_over_one_warns_but_books(app, clinic, owner, feeds):
    professional = owner_of(clinic)
    ten = local_start(clinic, 3, 10)
    feeds.serve("/basic.ics", ics(busy_event("dentist", ten)))
    add(owner, feeds.url("/basic.ics"))
    sync(app)
    day = (local_today(clinic) + dt.timedelta(days=3)).isoformat()
    grid = text(owner.client.get(f"/workstation/sessions?day={day}&who={professional.id}"))
    assert "Busy (external)" in grid and "Therapy for myself" not in grid

    client = make_client(clinic)
    response = owner.post(
        f"/workstation/clients/{client.id}/sessions",
        {
            "service": str(first_service(clinic).id),
            "professional": str(professional.id),
            "day": day,
            "time": "10:00",
        },
        page=f"/workstation/clients/{client.id}",
    )
    assert response.status_code == 302, text(response)
    assert Appointment.select().count() == 1
    page = text(owner.client.get(response.headers["Location"]))
    assert "Please note: Ada Byrne is busy at this time in their own calendar elsewhere." in page

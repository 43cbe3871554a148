"""The booking calendar is kept rendered (page_cache.page_until) and yet never shown out of date: after every
kind of change to what its free times come from (a session booked, cancelled, moved or handed to a colleague,
a hold, hours, time off, booking rules, an external calendar, an erasure, the clinic's services) the next view
in the same process shows the change, and so does the clock (notice, a hold lapsing, a new day)."""

import datetime as dt

import pytest
from frontdesk import appointments, calendar_sync, clinic_settings, privacy, professional_settings
from frontdesk.client import booking_pages
from frontdesk.models import Clinic, ExternalCalendar, HubMember, Professional, TimeOff, utcnow
from frontdesk.states import Actor, HubMode

from tests.conftest import add_professional

from .booking_fixtures import (
    booking_path,
    hub_path,
    local_start,
    make_client,
    owner_of,
    service_of,
    slots,
    work_every_day,
)
from .conftest import text
from .test_external_calendars import busy_event, feeds, ics, sync  # noqa: F401 (feeds: a fixture)
from .test_page_cache import rename_service

pytestmark = pytest.mark.usefixtures("hub")  # the owner works every day from 09:00 to 17:00


def book_at(clinic, start, hold_minutes=None):
    owner = owner_of(clinic)
    return appointments.book(
        clinic,
        owner,
        make_client(clinic),
        service_of(clinic),
        start,
        50,
        booked_by=None if hold_minutes else owner,
        hold_minutes=hold_minutes,
    )


def tomorrow(clinic, hour):
    return local_start(clinic, 1, hour)


def shows(client, clinic, start, path=None):
    return start in slots(client.get(path or booking_path(owner_of(clinic))))


# Each writer: (what to set up before the page is first seen, the change) -> (a start, whether it shows after).


def booked(clinic):
    return lambda: book_at(clinic, tomorrow(clinic, 10)), tomorrow(clinic, 10), False


def cancelled(clinic):
    session = book_at(clinic, tomorrow(clinic, 10))
    return lambda: appointments.cancel(session, Actor.PROFESSIONAL, owner_of(clinic)), tomorrow(clinic, 10), True


def moved_from(clinic):
    session = book_at(clinic, tomorrow(clinic, 10))
    move = lambda: appointments.reschedule(session, tomorrow(clinic, 14), Actor.PROFESSIONAL, owner_of(clinic))  # noqa: E731
    return move, tomorrow(clinic, 10), True


def moved_to(clinic):
    session = book_at(clinic, tomorrow(clinic, 10))
    move = lambda: appointments.reschedule(session, tomorrow(clinic, 14), Actor.PROFESSIONAL, owner_of(clinic))  # noqa: E731
    return move, tomorrow(clinic, 14), False


def handed_to_a_colleague(clinic):
    session = book_at(clinic, tomorrow(clinic, 10))
    colleague = add_professional(clinic, "sam@harbour.example", name="Sam Reyes")
    work_every_day(colleague)
    return lambda: appointments.reassign(session, colleague), tomorrow(clinic, 10), True


def time_off_added(clinic):
    day = tomorrow(clinic, 10)
    date = day.date()
    return lambda: professional_settings.add_time_off(owner_of(clinic), date, date), day, False


def time_off_removed(clinic):
    day = tomorrow(clinic, 10)
    entry = TimeOff.create(professional=owner_of(clinic), first_day=day.date(), last_day=day.date())
    return lambda: professional_settings.delete_time_off(TimeOff.get_by_id(entry.id)), day, True


def hours_shortened(clinic):
    hours = [(weekday, dt.time(9), dt.time(12)) for weekday in range(7)]
    return lambda: professional_settings.save_working_hours(owner_of(clinic), hours), tomorrow(clinic, 14), False


def more_notice(clinic):
    change = lambda: professional_settings.save_booking_rules(owner_of(clinic), 0, 3 * 24 * 60, 365)  # noqa: E731
    return change, tomorrow(clinic, 14), False


def erased(clinic):
    session = book_at(clinic, tomorrow(clinic, 10))
    return lambda: privacy.erase(session.client, owner_of(clinic)), tomorrow(clinic, 10), True


@pytest.mark.parametrize(
    "writer",
    [
        booked,
        cancelled,
        moved_from,
        moved_to,
        handed_to_a_colleague,
        time_off_added,
        time_off_removed,
        hours_shortened,
        more_notice,
        erased,
    ],
)
def test_every_change_to_the_free_times_shows_on_the_very_next_view(client, clinic, writer):
    change, start, shown_after = writer(clinic)
    assert shows(client, clinic, start) is not shown_after
    assert shows(client, clinic, start) is not shown_after, "and the kept page says the same"
    change()
    assert shows(client, clinic, start) is shown_after


def test_a_kept_page_costs_one_query(client, clinic, sent_sql):
    path = booking_path(owner_of(clinic))
    page = text(client.get(path))
    queries = sent_sql()
    again = client.get(path)
    assert again.status_code == 200 and text(again) == page
    assert len(queries) == 1 and '"professional"' in queries[0] and '"clinic"' in queries[0]


def test_a_service_renamed_and_a_language_chosen_show_at_once(client, clinic):
    path = booking_path(owner_of(clinic))
    assert "Walk and talk" not in text(client.get(path))
    rename_service(clinic)
    assert "Walk and talk" in text(client.get(path))
    clinic_settings.save_languages(Clinic.get_by_id(clinic.id), "en", ["en", "de"], {}, {}, {})
    assert '<html lang="de"' in text(client.get(path + "?lang=de"))


def test_an_external_calendar_synced_and_removed_shows_at_once(app, client, clinic, feeds):  # noqa: F811
    start = tomorrow(clinic, 14)
    feeds.serve("/busy.ics", ics(busy_event("one", start)))
    owner = owner_of(clinic)
    calendar = calendar_sync.add_calendar(owner, feeds.url("/busy.ics"), allow_loopback=True)
    assert shows(client, clinic, start)
    sync(app)
    assert not shows(client, clinic, start)
    calendar_sync.remove_calendar(ExternalCalendar.get_by_id(calendar.id))
    assert shows(client, clinic, start)


def test_the_hub_calendar_follows_the_members_mode_and_hours(client, clinic, hub):
    owner = owner_of(clinic)
    path = hub_path(hub) + f"/p/{owner.id}"
    start = tomorrow(clinic, 14)
    assert shows(client, clinic, start, path)
    book_at(clinic, start)
    assert not shows(client, clinic, start, path)
    professional_settings.set_hub_mode(Professional.get_by_id(owner.id), HubMode.REQUESTS_ONLY)
    assert HubMember.get(HubMember.professional == owner).mode == HubMode.REQUESTS_ONLY
    assert client.get(path).status_code == 404


def later(monkeypatch, moment):
    """The clock of the booking pages reads `moment`."""
    monkeypatch.setattr(booking_pages, "utcnow", lambda: moment)


def test_a_hold_frees_its_time_on_the_kept_page_the_moment_it_lapses(client, clinic, monkeypatch):
    start = tomorrow(clinic, 10)
    session = book_at(clinic, start, hold_minutes=30)
    assert not shows(client, clinic, start)
    later(monkeypatch, session.hold_until - dt.timedelta(seconds=1))
    assert not shows(client, clinic, start)
    later(monkeypatch, session.hold_until + dt.timedelta(seconds=1))
    assert shows(client, clinic, start)


def test_a_time_leaves_the_kept_page_once_inside_the_notice(client, clinic, monkeypatch):
    first = slots(client.get(booking_path(owner_of(clinic))))[0]
    notice = dt.timedelta(minutes=owner_of(clinic).notice_minutes)
    later(monkeypatch, first - notice - dt.timedelta(seconds=1))
    assert shows(client, clinic, first)
    later(monkeypatch, first - notice + dt.timedelta(seconds=1))
    assert not shows(client, clinic, first)


def test_a_new_day_moves_the_kept_page_on(client, clinic, monkeypatch):
    today = local_start(clinic, 0, 12).date()
    TimeOff.create(professional=owner_of(clinic), first_day=today, last_day=today + dt.timedelta(days=13))
    path = booking_path(owner_of(clinic))
    assert slots(client.get(path)) == [], "two weeks off: the first page has no free time"
    later(monkeypatch, utcnow() + dt.timedelta(days=1))
    assert slots(client.get(path)), "a day later the page reaches the day after the time off"

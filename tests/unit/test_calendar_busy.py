"""The busy times read from an iCalendar document: recurring events expanded with their exceptions, free and
cancelled events left out, all-day and floating times in the professional's zone, and nothing but times."""

import datetime as dt

import pytest
from frontdesk import calendar_busy

WINDOW = (dt.datetime(2027, 3, 1), dt.datetime(2027, 5, 1))


def document(*events):
    body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Busy//EN", *events, "END:VCALENDAR"])
    return (body + "\r\n").encode()


def event(uid, *lines):
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20270101T000000Z", *lines, "END:VEVENT"])


def busy(data, timezone="Europe/London"):
    return calendar_busy.busy_times(data, timezone, *WINDOW)


def test_a_weekly_series_with_a_removed_a_moved_and_a_cancelled_occurrence():
    """Every Tuesday 10:00 London time from 2 March, five times: 9 March removed (EXDATE), 16 March moved to
    15:00, 23 March cancelled; 30 March is after the clocks change, so 09:00 UTC."""
    data = document(
        event(
            "weekly",
            "DTSTART;TZID=Europe/London:20270302T100000",
            "DTEND;TZID=Europe/London:20270302T110000",
            "RRULE:FREQ=WEEKLY;COUNT=5",
            "EXDATE;TZID=Europe/London:20270309T100000",
            "SUMMARY:Dentist",
        ),
        event(
            "weekly",
            "RECURRENCE-ID;TZID=Europe/London:20270316T100000",
            "DTSTART;TZID=Europe/London:20270316T150000",
            "DTEND;TZID=Europe/London:20270316T160000",
        ),
        event(
            "weekly",
            "RECURRENCE-ID;TZID=Europe/London:20270323T100000",
            "DTSTART;TZID=Europe/London:20270323T100000",
            "DTEND;TZID=Europe/London:20270323T110000",
            "STATUS:CANCELLED",
        ),
    )
    assert busy(data) == [
        (dt.datetime(2027, 3, 2, 10), dt.datetime(2027, 3, 2, 11)),
        (dt.datetime(2027, 3, 16, 15), dt.datetime(2027, 3, 16, 16)),
        (dt.datetime(2027, 3, 30, 9), dt.datetime(2027, 3, 30, 10)),
    ]


def test_free_and_cancelled_events_are_not_busy():
    data = document(
        event("free", "DTSTART:20270302T090000Z", "DTEND:20270302T100000Z", "TRANSP:TRANSPARENT"),
        event("cancelled", "DTSTART:20270303T090000Z", "DTEND:20270303T100000Z", "STATUS:CANCELLED"),
        event("tentative", "DTSTART:20270304T090000Z", "DTEND:20270304T100000Z", "STATUS:TENTATIVE"),
    )
    assert busy(data) == [(dt.datetime(2027, 3, 4, 9), dt.datetime(2027, 3, 4, 10))]


@pytest.mark.parametrize(
    "timezone, start, end",
    [
        ("Europe/London", dt.datetime(2027, 3, 3, 0), dt.datetime(2027, 3, 5, 0)),
        ("Atlantic/Reykjavik", dt.datetime(2027, 3, 3, 0), dt.datetime(2027, 3, 5, 0)),
        ("America/New_York", dt.datetime(2027, 3, 3, 5), dt.datetime(2027, 3, 5, 5)),
        ("Asia/Tokyo", dt.datetime(2027, 3, 2, 15), dt.datetime(2027, 3, 4, 15)),
    ],
)
def test_an_all_day_event_is_busy_from_midnight_to_midnight_in_the_professionals_zone(timezone, start, end):
    data = document(event("away", "DTSTART;VALUE=DATE:20270303", "DTEND;VALUE=DATE:20270305"))
    assert busy(data, timezone) == [(start, end)]


def test_a_time_without_a_zone_is_read_in_the_professionals_zone_and_duration_gives_the_end():
    data = document(event("floating", "DTSTART:20270302T100000", "DURATION:PT45M"))
    assert busy(data, "America/New_York") == [(dt.datetime(2027, 3, 2, 15), dt.datetime(2027, 3, 2, 15, 45))]


def test_overlapping_events_are_merged_and_events_outside_the_window_left_out():
    data = document(
        event("a", "DTSTART:20270302T090000Z", "DTEND:20270302T100000Z"),
        event("b", "DTSTART:20270302T093000Z", "DTEND:20270302T110000Z"),
        event("c", "DTSTART:20270302T110000Z", "DTEND:20270302T113000Z"),
        event("before", "DTSTART:20270201T090000Z", "DTEND:20270201T100000Z"),
        event("after", "DTSTART:20270601T090000Z", "DTEND:20270601T100000Z"),
    )
    assert busy(data) == [(dt.datetime(2027, 3, 2, 9), dt.datetime(2027, 3, 2, 11, 30))]


def test_an_endless_rule_is_read_only_so_far(monkeypatch):
    """A rule repeating every minute forever stops at MAX_OCCURRENCES (lowered here to keep the test quick),
    the nearest kept."""
    monkeypatch.setattr(calendar_busy, "MAX_OCCURRENCES", 500)
    data = document(event("minutely", "DTSTART:20270301T000000Z", "DTEND:20270301T000030Z", "RRULE:FREQ=MINUTELY"))
    found = busy(data)
    assert len(found) == calendar_busy.MAX_OCCURRENCES
    assert found[0] == (dt.datetime(2027, 3, 1), dt.datetime(2027, 3, 1, 0, 0, 30))


@pytest.mark.parametrize("data", [b"", b"<html>Sign in</html>", b"BEGIN:VCARD\r\nEND:VCARD\r\n", b"\xff\xfe\x00"])
def test_what_is_not_a_calendar_says_so(data):
    with pytest.raises(calendar_busy.NotACalendar):
        busy(data)

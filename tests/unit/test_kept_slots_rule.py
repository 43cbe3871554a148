"""How long a page of free slots stays the answer with nothing written (booking.slots_unchanged_until, which
the kept booking calendars expire by): the first slot entering the notice, the clinic's next day, the next
hold lapsing, whichever is first — table-driven, daylight saving included."""

import datetime as dt

import pytest
from frontdesk import booking

NOW = dt.datetime(2027, 5, 10, 12, 0)  # UTC; 14:00 in Berlin
HOUR = dt.timedelta(hours=1)
NOTICE = HOUR


def slot(start):
    return (start, start + dt.timedelta(minutes=50))


@pytest.mark.parametrize(
    "slots, timezone, hold, until",
    [
        ([], "UTC", None, dt.datetime(2027, 5, 11)),  # nothing offered: only the day turning changes it
        ([], "Europe/Berlin", None, dt.datetime(2027, 5, 10, 22)),  # Berlin's midnight, in UTC
        ([slot(NOW + 3 * HOUR), slot(NOW + 5 * HOUR)], "UTC", None, NOW + 2 * HOUR),  # the first enters the notice
        ([slot(NOW + 5 * HOUR), slot(NOW + 3 * HOUR)], "UTC", None, NOW + 2 * HOUR),  # in any order
        (
            [slot(NOW + 3 * HOUR)],
            "UTC",
            NOW + dt.timedelta(minutes=30),
            NOW + dt.timedelta(minutes=30),
        ),  # a hold lapses
        ([slot(NOW + 20 * HOUR)], "UTC", None, dt.datetime(2027, 5, 11)),  # the day turns first
        # Santiago skips its midnight in spring (00:00 becomes 01:00): the day starts when the clocks jump.
        ([], "America/Santiago", None, dt.datetime(2027, 9, 5, 4)),
    ],
)
def test_a_page_of_slots_stays_true_until_the_first_change_the_clock_brings(slots, timezone, hold, until):
    now = dt.datetime(2027, 9, 4, 12) if timezone == "America/Santiago" else NOW
    assert booking.slots_unchanged_until(slots, now, NOTICE, timezone, hold) == until

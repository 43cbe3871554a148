"""When a reminder goes: table-driven, like the booking rules."""

import datetime as dt

import pytest
from frontdesk import reminder_rules
from frontdesk.reminder_rules import FIRST, SECOND

START = dt.datetime(2027, 5, 10, 12, 0)
H = dt.timedelta(hours=1)
LONG_AGO = START - 7 * 24 * H
ONE = reminder_rules.reminder_slots(24, None)
TWO = reminder_rules.reminder_slots(24, 2)


def test_slots_nearest_first_and_only_real_ones():
    assert TWO == [(SECOND, 2 * H), (FIRST, 24 * H)]
    assert reminder_rules.reminder_slots(24, 24) == [(FIRST, 24 * H)]
    assert reminder_rules.reminder_slots(24, 0) == [(FIRST, 24 * H)]
    assert reminder_rules.reminder_slots(None, None) == []


@pytest.mark.parametrize(
    "slots, booked_hours_before, hours_before_now, sent, late_bookings, expected",
    [
        # One reminder, booked long before: due from 24 h before until the start.
        (ONE, 168, 25, set(), False, None),
        (ONE, 168, 24, set(), False, FIRST),
        (ONE, 168, 1, set(), False, FIRST),
        (ONE, 168, 0, set(), False, None),  # started: never
        (ONE, 168, 23, {FIRST}, False, None),  # once
        # Booked inside the window: none, or one at once where the clinic chose so.
        (ONE, 10, 9, set(), False, None),
        (ONE, 10, 9, set(), True, FIRST),
        (ONE, 10, 9, {FIRST}, True, None),
        # Two reminders.
        (TWO, 168, 23, set(), False, FIRST),
        (TWO, 168, 2, {FIRST}, False, SECOND),
        (TWO, 168, 1, set(), False, SECOND),  # a worker that was down sends only the nearest
        (TWO, 168, 23, {SECOND}, False, None),  # never an older one after a newer one
        (TWO, 10, 9, set(), False, None),  # booked inside the first: none yet
        (TWO, 10, 2, set(), False, SECOND),  # and the second as usual
        (TWO, 10, 9, set(), True, FIRST),
        (TWO, 1, 0.5, set(), True, SECOND),  # inside both: the nearest, once
        (TWO, 1, 0.5, set(), False, None),
    ],
)
def test_reminder_due(slots, booked_hours_before, hours_before_now, sent, late_bookings, expected):
    booked_at = START - booked_hours_before * H
    now = START - hours_before_now * H
    assert reminder_rules.reminder_due(START, booked_at, now, slots, sent, late_bookings) == expected


@pytest.mark.parametrize(
    "local_now, day",
    [
        (dt.datetime(2027, 5, 10, 17, 59), None),
        (dt.datetime(2027, 5, 10, 18, 0), dt.date(2027, 5, 11)),
        (dt.datetime(2027, 5, 10, 23, 59), dt.date(2027, 5, 11)),
    ],
)
def test_agenda_goes_out_in_the_evening_for_the_next_day(local_now, day):
    assert reminder_rules.agenda_day(local_now) == day

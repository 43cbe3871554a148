"""A self-booked session held until the client confirms it from the email (issue 12): when a hold keeps its
slot, when it has lapsed, what a click on its confirm link does, and the bounds of a clinic's hold — table-driven."""

import datetime as dt

import pytest
from frontdesk import booking
from frontdesk.booking import HoldAnswer

NOW = dt.datetime(2027, 5, 10, 12, 0)
MINUTE = dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    "status, until, holds, lapsed",
    [
        ("booked", None, True, False),
        ("held", NOW + MINUTE, True, False),
        ("held", NOW, False, True),  # lapsed on the minute: the slot is free again
        ("held", NOW - MINUTE, False, True),
        ("released", NOW - MINUTE, False, False),  # released already: nothing more to release
        ("cancelled", None, False, False),
    ],
)
def test_a_hold_keeps_its_slot_only_until_it_lapses(status, until, holds, lapsed):
    assert booking.holds_slot(status, until, NOW) is holds
    assert booking.hold_lapsed(status, until, NOW) is lapsed


@pytest.mark.parametrize(
    "status, until, was_held, answer",
    [
        ("held", NOW + MINUTE, True, HoldAnswer.CONFIRM),
        ("held", NOW, True, HoldAnswer.LAPSED),  # not yet released by the mail worker: too late all the same
        ("released", NOW - MINUTE, True, HoldAnswer.LAPSED),
        ("booked", NOW - MINUTE, True, HoldAnswer.ALREADY),  # a second click
        ("booked", None, False, HoldAnswer.GONE),  # never a hold: the link cannot be one of its own
        ("cancelled", NOW - MINUTE, True, HoldAnswer.GONE),  # confirmed, then cancelled
    ],
)
def test_what_confirming_a_hold_does(status, until, was_held, answer):
    assert booking.confirm_answer(status, until, was_held, NOW) == answer


def test_a_hold_lasts_the_clinics_minutes():
    assert booking.hold_until(NOW, 30) == NOW + 30 * MINUTE


@pytest.mark.parametrize(
    "minutes, allowed", [(9, False), (10, True), (30, True), (1440, True), (1441, False), (0, False)]
)
def test_a_clinic_holds_from_ten_minutes_to_a_day(minutes, allowed):
    if allowed:
        booking.check_hold_minutes(minutes)
    else:
        with pytest.raises(booking.BookingError) as refused:
            booking.check_hold_minutes(minutes)
        assert refused.value.code == booking.BAD_HOLD_MINUTES

"""What the professional may do to a session, a charge and a request: the rules the workstation's pages
are told, table by table."""

import datetime as dt

import pytest
from frontdesk import booking

NOW = dt.datetime(2027, 1, 11, 12, 0)
HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    "status, end, allowed",
    [
        ("booked", NOW + HOUR, True),  # not yet ended, even if started
        ("booked", NOW, False),  # ended
        ("cancelled", NOW + HOUR, False),
    ],
)
def test_the_professional_may_cancel_or_move_a_booked_session_until_it_ends(status, end, allowed):
    assert booking.professional_may_change(status, end, NOW) is allowed


@pytest.mark.parametrize(
    "status, start, recorded, allowed",
    [
        ("booked", NOW, False, True),
        ("booked", NOW + HOUR, False, False),  # not started yet
        ("booked", NOW - HOUR, True, False),  # recorded already
        ("cancelled", NOW - HOUR, False, False),
    ],
)
def test_a_no_show_may_be_recorded_once_a_booked_session_has_started(status, start, recorded, allowed):
    assert booking.professional_may_mark_no_show(status, start, NOW, recorded) is allowed


@pytest.mark.parametrize("status, is_open", [("open", True), ("charged", False), ("waived", False)])
def test_only_an_open_charge_is_decided(status, is_open):
    assert booking.charge_is_open(status) is is_open


@pytest.mark.parametrize("status, is_open", [("pending", True), ("accepted", False), ("declined", False)])
def test_only_a_pending_request_is_answered(status, is_open):
    assert booking.request_is_open(status) is is_open

"""What a client may do with one session, as the pages and emails are told it: a table per rule."""

import datetime as dt

import pytest
from frontdesk import booking
from frontdesk.states import Channel, SessionStatus

NOW = dt.datetime(2026, 3, 2, 12, 0)
HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    "channel, status, start, current, cancel, reschedule",
    [
        (Channel.HUB, SessionStatus.BOOKED, NOW + 48 * HOUR, True, None, None),
        (Channel.DIRECT, SessionStatus.BOOKED, NOW + 48 * HOUR, True, None, booking.NOT_HUB),
        (Channel.REQUEST, SessionStatus.BOOKED, NOW + 48 * HOUR, True, None, booking.NOT_HUB),
        (Channel.HUB, SessionStatus.BOOKED, NOW - HOUR, True, booking.STARTED, booking.STARTED),
        (Channel.HUB, SessionStatus.CANCELLED, NOW + 48 * HOUR, True, booking.NOT_BOOKED, booking.NOT_BOOKED),
        (Channel.HUB, SessionStatus.BOOKED, NOW + 48 * HOUR, False, booking.NOT_BOOKED, booking.NOT_BOOKED),
    ],
)
def test_what_a_client_may_do(channel, status, start, current, cancel, reschedule):
    may = booking.client_permissions(channel, status, start, NOW, 24, link_current=current)
    assert (may.cancel_refused, may.reschedule_refused) == (cancel, reschedule)
    assert (may.may_cancel, may.may_reschedule) == (cancel is None, reschedule is None)


@pytest.mark.parametrize(
    "status, moved, moved_to_booked, cancelled, was_moved, new_open",
    [
        (SessionStatus.BOOKED, False, False, False, False, False),
        (SessionStatus.CANCELLED, False, False, True, False, False),
        (SessionStatus.CANCELLED, True, True, True, True, True),
        (SessionStatus.CANCELLED, True, False, True, True, False),
    ],
)
def test_where_a_session_stands(status, moved, moved_to_booked, cancelled, was_moved, new_open):
    may = booking.client_permissions(
        Channel.HUB, status, NOW + HOUR, NOW, 24, moved=moved, moved_to_booked=moved_to_booked
    )
    assert (may.is_cancelled, may.was_moved, may.new_session_open) == (cancelled, was_moved, new_open)


@pytest.mark.parametrize(
    "channel, policy_hours, hours_ahead, late, window, warning",
    [
        (Channel.HUB, 48, 30, False, 24, False),
        (Channel.HUB, 48, 20, True, 24, False),
        (Channel.DIRECT, 48, 30, True, 48, True),
        (Channel.DIRECT, 12, 20, False, 12, False),
    ],
)
def test_what_cancelling_now_would_mean(channel, policy_hours, hours_ahead, late, window, warning):
    may = booking.client_permissions(channel, SessionStatus.BOOKED, NOW + hours_ahead * HOUR, NOW, policy_hours)
    assert (may.late, may.late_window, may.penalty_warning) == (late, window, warning)


@pytest.mark.parametrize(
    "start, code",
    [
        (NOW - HOUR, booking.IN_THE_PAST),
        (NOW, booking.IN_THE_PAST),
        (dt.datetime(2026, 3, 10, 10), booking.BEYOND_HORIZON),
    ],
)
def test_a_client_start_must_be_ahead_and_within_the_pages(start, code):
    with pytest.raises(booking.BookingError) as refused:
        booking.check_client_start(start, NOW, dt.date(2026, 3, 9), "Europe/London")
    assert refused.value.code == code


def test_a_client_start_on_the_last_day_shown_is_allowed():
    booking.check_client_start(dt.datetime(2026, 3, 9, 22), NOW, dt.date(2026, 3, 9), "Europe/London")

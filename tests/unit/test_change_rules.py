"""Who may cancel or reschedule a session, when it is late, and when clients are warned — table-driven."""

import datetime as dt

import pytest
from frontdesk import booking

NOW = dt.datetime(2027, 5, 10, 12, 0)
H = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    "channel, policy_hours, hours_ahead, late",
    [
        # Hubs: always 24 h, whatever the clinic's own policy says.
        ("hub", 24, 23.9, True),
        ("hub", 24, 24, False),
        ("hub", 48, 30, False),
        ("hub", 12, 20, True),
        # Outside hubs: the clinic's policy.
        ("direct", 24, 23, True),
        ("direct", 24, 25, False),
        ("request", 48, 30, True),
        ("request", 48, 49, False),
        ("direct", 12, 13, False),
        ("direct", 12, 11, True),
    ],
)
def test_late_cancellation_window(channel, policy_hours, hours_ahead, late):
    start = NOW + dt.timedelta(hours=hours_ahead)
    assert booking.is_late(channel, policy_hours, start, NOW) is late
    assert booking.notice(start, NOW) == dt.timedelta(hours=hours_ahead)


@pytest.mark.parametrize(
    "channel, policy_hours, warned",
    [
        ("direct", 24, False),
        ("direct", 25, True),
        ("request", 48, True),
        ("hub", 48, False),
        ("hub", 24, False),
    ],
)
def test_penalty_warning_only_where_the_policy_is_longer_than_24_hours(channel, policy_hours, warned):
    assert booking.shows_penalty_warning(channel, policy_hours) is warned


def outcome(check, *args):
    """The refusal code a rule gives, or None when it allows the change."""
    try:
        check(*args)
    except booking.BookingError as error:
        return error.code
    return None


@pytest.mark.parametrize(
    "channel, status, start, cancel, reschedule",
    [
        ("hub", "booked", NOW + 2 * H, None, None),
        ("direct", "booked", NOW + 2 * H, None, booking.NOT_HUB),
        ("request", "booked", NOW + 2 * H, None, booking.NOT_HUB),
        ("hub", "cancelled", NOW + 2 * H, booking.NOT_BOOKED, booking.NOT_BOOKED),
        ("hub", "booked", NOW, booking.STARTED, booking.STARTED),
        ("direct", "booked", NOW - H, booking.STARTED, booking.STARTED),
    ],
)
def test_what_a_client_may_do(channel, status, start, cancel, reschedule):
    assert outcome(booking.check_client_cancel, status, start, NOW) == cancel
    assert outcome(booking.check_client_reschedule, channel, status, start, NOW) == reschedule


@pytest.mark.parametrize(
    "status, start, end, change, no_show",
    [
        ("booked", NOW + H, NOW + 2 * H, None, booking.NOT_STARTED),
        ("booked", NOW - H, NOW + H, None, None),  # under way: may still move it, or mark no-show
        ("booked", NOW - 2 * H, NOW - H, booking.STARTED, None),  # over: only a no-show remains
        ("cancelled", NOW - 2 * H, NOW - H, booking.NOT_BOOKED, booking.NOT_BOOKED),
    ],
)
def test_what_a_professional_may_do(status, start, end, change, no_show):
    assert outcome(booking.check_professional_change, status, end, NOW) == change
    assert outcome(booking.check_no_show, status, start, NOW) == no_show


MONDAY_TO_FRIDAY_9_TO_12 = {d: [(dt.time(9), dt.time(12))] for d in range(5)}


def local_hours(slots, zone="Europe/London"):
    return [booking.utc_to_local(s, zone).strftime("%a %H:%M") for s, _ in slots]


def test_slots_follow_working_hours_and_duration_on_the_grid_not_drifting():
    monday = dt.date(2027, 1, 11)
    slots = booking.free_slots(
        monday, monday, MONDAY_TO_FRIDAY_9_TO_12, [], 50, "Europe/London", [], now=dt.datetime(2027, 1, 1)
    )
    # Every 30 minutes from the hour, not 09:00, 09:50, 10:40; 11:30 would end after 12:00.
    assert local_hours(slots) == ["Mon 09:00", "Mon 09:30", "Mon 10:00", "Mon 10:30", "Mon 11:00"]


def test_slots_skip_booked_time_time_off_weekends_and_the_near_past():
    monday, friday = dt.date(2027, 1, 11), dt.date(2027, 1, 17)
    booked = [(dt.datetime(2027, 1, 11, 9, 30), dt.datetime(2027, 1, 11, 10, 0))]  # clashes with 09:00 and 09:50
    time_off = [(dt.date(2027, 1, 13), dt.date(2027, 1, 14))]
    now = dt.datetime(2027, 1, 11, 8, 30)  # 08:30 GMT: less than an hour before 09:00
    slots = booking.free_slots(
        monday, friday, MONDAY_TO_FRIDAY_9_TO_12, time_off, 60, "Europe/London", booked, now, grid_minutes=60
    )
    assert local_hours(slots) == [
        "Mon 10:00",
        "Mon 11:00",
        "Tue 09:00",
        "Tue 10:00",
        "Tue 11:00",
        "Fri 09:00",
        "Fri 10:00",
        "Fri 11:00",
    ]


def test_slots_keep_their_wall_clock_time_across_the_spring_change():
    # Clocks go forward on Sunday 28 March 2027: 09:00 on Friday is 09:00 GMT, on Monday 08:00 UTC.
    hours = {d: [(dt.time(9), dt.time(10))] for d in range(7)}
    slots = booking.free_slots(
        dt.date(2027, 3, 26), dt.date(2027, 3, 29), hours, [], 60, "Europe/London", [], now=dt.datetime(2027, 3, 1)
    )
    assert [s for s, _ in slots] == [
        dt.datetime(2027, 3, 26, 9),
        dt.datetime(2027, 3, 27, 9),
        dt.datetime(2027, 3, 28, 8),
        dt.datetime(2027, 3, 29, 8),
    ]
    assert local_hours(slots) == ["Fri 09:00", "Sat 09:00", "Sun 09:00", "Mon 09:00"]


def test_a_slot_starting_in_the_skipped_hour_is_left_out():
    hours = {6: [(dt.time(0, 30), dt.time(3, 30))]}  # Sunday night hours over the change
    slots = booking.free_slots(
        dt.date(2027, 3, 28), dt.date(2027, 3, 28), hours, [], 60, "Europe/London", [], now=dt.datetime(2027, 3, 1)
    )
    assert local_hours(slots) == ["Sun 00:30", "Sun 02:00", "Sun 02:30"]  # 01:00 and 01:30 do not exist that night


def test_asking_about_one_start_finds_that_slot_or_nothing():
    """A booking's check asks about its own start only: the answer is what the day's slots say of it."""
    monday = dt.date(2027, 1, 11)
    booked = [(dt.datetime(2027, 1, 11, 10), dt.datetime(2027, 1, 11, 10, 30))]

    def one(hour, minute=0):
        start = dt.datetime(2027, 1, 11, hour, minute)
        return booking.free_slots(
            monday, monday, MONDAY_TO_FRIDAY_9_TO_12, [], 30, "Europe/London", booked, LONG_AGO, starting=start
        )

    assert one(9) == [(dt.datetime(2027, 1, 11, 9), dt.datetime(2027, 1, 11, 9, 30))]
    assert one(10) == []  # booked
    assert one(9, 10) == []  # off the grid
    assert one(12) == []  # the session would end after closing
    day = booking.free_slots(monday, monday, MONDAY_TO_FRIDAY_9_TO_12, [], 30, "Europe/London", booked, LONG_AGO)
    assert [s for s in day if one(s[0].hour, s[0].minute) == [s]] == day


def test_one_start_in_the_skipped_hour_is_no_slot():
    hours = {6: [(dt.time(0, 30), dt.time(3, 30))]}
    sunday = dt.date(2027, 3, 28)
    asked = booking.free_slots(
        sunday, sunday, hours, [], 60, "Europe/London", [], LONG_AGO, starting=dt.datetime(2027, 3, 28, 1)
    )
    assert asked == []


# --- Working periods, buffer, notice and the grid ---------------------------------------------------------

MONDAY = dt.date(2027, 1, 11)
LONG_AGO = dt.datetime(2027, 1, 1)


def monday_slots(hours, duration=50, booked=(), now=LONG_AGO, zone="Europe/London", day=MONDAY, **rules):
    return local_hours(booking.free_slots(day, day, hours, [], duration, zone, list(booked), now, **rules), zone)


def test_a_lunch_break_between_two_periods_offers_no_slot():
    hours = {0: [(dt.time(13), dt.time(15)), (dt.time(9), dt.time(12))]}
    assert monday_slots(hours, 60, grid_minutes=60) == ["Mon 09:00", "Mon 10:00", "Mon 11:00", "Mon 13:00", "Mon 14:00"]


def test_a_buffer_keeps_time_free_on_both_sides_of_a_booked_session():
    hours = {0: [(dt.time(9), dt.time(17))]}
    booked = [(dt.datetime(2027, 1, 11, 12), dt.datetime(2027, 1, 11, 13))]  # 12:00–13:00 GMT
    without = monday_slots(hours, 60, booked, grid_minutes=30)
    assert "Mon 11:00" in without and "Mon 13:00" in without
    with_buffer = monday_slots(hours, 60, booked, grid_minutes=30, buffer=dt.timedelta(minutes=15))
    assert "Mon 11:00" not in with_buffer and "Mon 13:00" not in with_buffer
    assert "Mon 10:30" in with_buffer and "Mon 13:30" in with_buffer


def test_minimum_notice_leaves_out_starts_too_soon():
    hours = {0: [(dt.time(9), dt.time(17))]}
    now = dt.datetime(2027, 1, 11, 9)  # Monday 09:00 GMT
    slots = monday_slots(hours, 60, now=now, grid_minutes=60, min_notice=dt.timedelta(hours=4))
    assert slots[0] == "Mon 13:00"


@pytest.mark.parametrize(
    "grid, opens, expected",
    [
        (15, dt.time(9, 10), ["Mon 09:15", "Mon 09:30", "Mon 09:45", "Mon 10:00"]),
        (30, dt.time(9, 10), ["Mon 09:30", "Mon 10:00"]),
        (60, dt.time(9, 10), ["Mon 10:00"]),
    ],
)
def test_slots_start_on_the_grid_counted_from_the_hour(grid, opens, expected):
    hours = {0: [(opens, dt.time(11))]}
    assert monday_slots(hours, 60, grid_minutes=grid) == expected


def test_the_grid_stays_on_the_hour_across_the_autumn_change_and_in_half_hour_zones():
    # Clocks go back on Sunday 31 October 2027: the slots stay 09:00 and 09:30 on the wall clock.
    hours = {d: [(dt.time(9), dt.time(10))] for d in range(7)}
    slots = booking.free_slots(
        dt.date(2027, 10, 30), dt.date(2027, 11, 1), hours, [], 30, "Europe/London", [], LONG_AGO, grid_minutes=30
    )
    assert local_hours(slots) == ["Sat 09:00", "Sat 09:30", "Sun 09:00", "Sun 09:30", "Mon 09:00", "Mon 09:30"]
    assert [s for s, _ in slots][::2] == [
        dt.datetime(2027, 10, 30, 8),  # BST
        dt.datetime(2027, 10, 31, 9),  # GMT from 02:00 that night
        dt.datetime(2027, 11, 1, 9),
    ]
    # India is 5:30 ahead of UTC: the grid is its own wall clock's hour, not UTC's.
    assert monday_slots({0: [(dt.time(9), dt.time(11))]}, 60, zone="Asia/Kolkata", grid_minutes=60) == [
        "Mon 09:00",
        "Mon 10:00",
    ]


@pytest.mark.parametrize(
    "periods, code",
    [
        ([(dt.time(9), dt.time(12)), (dt.time(13), dt.time(17))], None),
        ([(dt.time(9), dt.time(12)), (dt.time(12), dt.time(17))], None),  # touching is fine
        ([(dt.time(12), dt.time(9))], booking.PERIOD_ORDER),
        ([(dt.time(9), dt.time(9))], booking.PERIOD_ORDER),
        ([(dt.time(9), dt.time(13)), (dt.time(12), dt.time(17))], booking.PERIODS_OVERLAP),
        ([(dt.time(13), dt.time(17)), (dt.time(8), dt.time(18))], booking.PERIODS_OVERLAP),
    ],
)
def test_a_days_periods_must_each_end_after_they_start_and_not_overlap(periods, code):
    assert outcome(booking.check_periods, periods) == code

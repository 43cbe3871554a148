"""The booking rules, table-driven, with no Flask and no database."""

import datetime as dt

import pytest
from frontdesk import booking

UTC_NOW = dt.datetime(2027, 3, 1, 12, 0)


@pytest.mark.parametrize(
    "day, time, zone, expected_utc",
    [
        # Winter: London is on GMT, Reykjavik never moves, New York is five hours behind.
        (dt.date(2027, 1, 12), dt.time(10, 0), "Europe/London", dt.datetime(2027, 1, 12, 10, 0)),
        # Summer: London is on BST, one hour ahead of UTC.
        (dt.date(2027, 7, 12), dt.time(10, 0), "Europe/London", dt.datetime(2027, 7, 12, 9, 0)),
        (dt.date(2027, 7, 12), dt.time(10, 0), "Atlantic/Reykjavik", dt.datetime(2027, 7, 12, 10, 0)),
        (dt.date(2027, 1, 12), dt.time(10, 0), "America/New_York", dt.datetime(2027, 1, 12, 15, 0)),
        # The morning clocks go back (31 Oct 2027): 01:30 happens twice; people mean the first one (BST).
        (dt.date(2027, 10, 31), dt.time(1, 30), "Europe/London", dt.datetime(2027, 10, 31, 0, 30)),
        # The day after the spring change, 10:00 is BST.
        (dt.date(2027, 3, 29), dt.time(10, 0), "Europe/London", dt.datetime(2027, 3, 29, 9, 0)),
    ],
)
def test_local_wall_clock_times_become_utc(day, time, zone, expected_utc):
    assert booking.local_to_utc(day, time, zone) == expected_utc


@pytest.mark.parametrize(
    "day, time, zone",
    [
        (dt.date(2027, 3, 28), dt.time(1, 30), "Europe/London"),  # clocks go 01:00 → 02:00
        (dt.date(2027, 3, 14), dt.time(2, 15), "America/New_York"),  # clocks go 02:00 → 03:00
    ],
)
def test_a_time_skipped_by_the_clocks_is_refused(day, time, zone):
    with pytest.raises(booking.BookingError) as error:
        booking.local_to_utc(day, time, zone)
    assert error.value.code == booking.NONEXISTENT_TIME


def test_utc_to_local_round_trips_across_a_change():
    start = booking.local_to_utc(dt.date(2027, 3, 29), dt.time(9, 0), "Europe/London")
    local = booking.utc_to_local(start, "Europe/London")
    assert (local.hour, local.minute, local.utcoffset()) == (9, 0, dt.timedelta(hours=1))


@pytest.mark.parametrize(
    "a, b, clash",
    [
        ((9, 10), (10, 11), False),  # back to back
        ((9, 10), (9, 10), True),  # the same slot
        ((9, 11), (10, 10.5), True),  # one inside the other
        ((9, 10), (9.5, 10.5), True),  # overlapping the end
        ((10, 11), (9, 10), False),  # back to back, the other way
        ((9, 10), (11, 12), False),  # apart
    ],
)
def test_overlap_is_half_open(a, b, clash):
    def at(hours):
        return dt.datetime(2027, 1, 1) + dt.timedelta(hours=hours)

    assert booking.overlaps(at(a[0]), at(a[1]), at(b[0]), at(b[1])) is clash
    assert booking.overlaps(at(b[0]), at(b[1]), at(a[0]), at(a[1])) is clash


@pytest.mark.parametrize(
    "start, minutes, code",
    [
        (UTC_NOW - dt.timedelta(minutes=1), 50, booking.IN_THE_PAST),
        (UTC_NOW, 50, booking.IN_THE_PAST),
        (UTC_NOW + dt.timedelta(hours=1), 0, booking.BAD_DURATION),
        (UTC_NOW + dt.timedelta(hours=1), -5, booking.BAD_DURATION),
        (UTC_NOW + dt.timedelta(hours=1), booking.LONGEST_SESSION_MINUTES + 1, booking.BAD_DURATION),
    ],
)
def test_session_times_refused(start, minutes, code):
    with pytest.raises(booking.BookingError) as error:
        booking.session_times(start, minutes, UTC_NOW)
    assert error.value.code == code


def test_session_times_give_the_end_from_the_duration():
    start = UTC_NOW + dt.timedelta(days=1)
    assert booking.session_times(start, 50, UTC_NOW) == (start, start + dt.timedelta(minutes=50))


def test_check_free_refuses_only_a_clash():
    booked = [(dt.datetime(2027, 1, 1, 9), dt.datetime(2027, 1, 1, 10))]
    booking.check_free(dt.datetime(2027, 1, 1, 10), dt.datetime(2027, 1, 1, 11), booked)
    with pytest.raises(booking.BookingError) as error:
        booking.check_free(dt.datetime(2027, 1, 1, 9, 30), dt.datetime(2027, 1, 1, 10, 30), booked)
    assert error.value.code == booking.OVERLAP


def test_rules_do_not_import_flask():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(booking))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not imported & {"flask", "peewee", "frontdesk"}

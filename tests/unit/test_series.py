"""Weekly series rules: the days of a rule, wall-clock times across daylight-saving changes, the marks of a
preview and what may be booked — table-driven, like the other rules."""

import ast
import datetime as dt
import inspect

import pytest
from frontdesk import booking, series

NOW = dt.datetime(2027, 1, 4, 12, 0)
TODAY = NOW.date()
NINE = dt.time(9, 0)


def _utc(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.mark.parametrize(
    "weeks_apart, count, until, expected",
    [
        (1, 3, None, ["2027-03-01", "2027-03-08", "2027-03-15"]),
        (2, 3, None, ["2027-03-01", "2027-03-15", "2027-03-29"]),
        (4, 2, None, ["2027-03-01", "2027-03-29"]),
        (1, None, dt.date(2027, 3, 15), ["2027-03-01", "2027-03-08", "2027-03-15"]),
        (1, None, dt.date(2027, 3, 14), ["2027-03-01", "2027-03-08"]),
        (3, None, dt.date(2027, 3, 1), ["2027-03-01"]),
    ],
)
def test_days_every_n_weeks_for_a_count_or_until_a_date(weeks_apart, count, until, expected):
    days = series.days(dt.date(2027, 3, 1), weeks_apart, TODAY, count=count, until=until)
    assert [d.isoformat() for d in days] == expected


@pytest.mark.parametrize(
    "weeks_apart, count, until, code",
    [
        (0, 3, None, series.BAD_INTERVAL),
        (5, 3, None, series.BAD_INTERVAL),
        (1, 1, None, series.BAD_COUNT),
        (1, 53, None, series.BAD_COUNT),
        (1, None, None, series.NO_END),
        (1, None, dt.date(2027, 2, 28), series.UNTIL_BEFORE_FIRST),
        # Nobody books more than two years ahead: the last day of the rule is checked, not only the first.
        (1, None, TODAY + booking.FURTHEST_AHEAD + dt.timedelta(days=7), booking.BEYOND_HORIZON),
        (4, 52, None, booking.BEYOND_HORIZON),
    ],
)
def test_rules_out_of_bounds_are_refused(weeks_apart, count, until, code):
    with pytest.raises(series.SeriesError) as refused:
        series.days(dt.date(2027, 3, 1), weeks_apart, TODAY, count=count, until=until)
    assert refused.value.code == code


def test_fifty_two_weekly_sessions_and_two_years_until_are_allowed():
    assert len(series.days(dt.date(2027, 1, 11), 1, TODAY, count=52)) == 52
    last = TODAY + booking.FURTHEST_AHEAD
    assert series.days(dt.date(2027, 1, 11), 1, TODAY, until=last)[-1] <= last


@pytest.mark.parametrize(
    "timezone, first_day, utc_hours",
    [
        # Clocks go forward on 28 March 2027 in London: 09:00 is 09:00 UTC before, 08:00 UTC after.
        ("Europe/London", dt.date(2027, 3, 21), [9, 8, 8]),
        # And back on 31 October 2027.
        ("Europe/London", dt.date(2027, 10, 24), [8, 9, 9]),
        # New York: forward on 14 March 2027 (EST −5 → EDT −4), back on 7 November 2027.
        ("America/New_York", dt.date(2027, 3, 7), [14, 13, 13]),
        ("America/New_York", dt.date(2027, 10, 31), [13, 14, 14]),
    ],
)
def test_the_wall_clock_time_stays_across_daylight_saving_changes(timezone, first_day, utc_hours):
    days = series.days(first_day, 1, TODAY, count=3)
    planned = series.plan([(d, NINE, True) for d in days], 50, timezone, NOW, [], [], default_choice=True)
    assert [o.start for o in planned] == [_utc(d, h) for d, h in zip(days, utc_hours, strict=True)]
    assert all(booking.utc_to_local(o.start, timezone).time() == NINE for o in planned)
    assert all(o.chosen and not o.problem for o in planned)


def test_a_time_the_clocks_skip_is_marked_not_shifted():
    days = series.days(dt.date(2027, 3, 21), 1, TODAY, count=2)
    planned = series.plan([(d, dt.time(1, 30), True) for d in days], 50, "Europe/London", NOW, [], [], True)
    assert planned[0].problem == "" and planned[0].chosen
    assert planned[1].problem == booking.NONEXISTENT_TIME and planned[1].start is None and not planned[1].chosen


def test_collisions_with_sessions_and_time_off_are_marked_and_left_out_at_first():
    days = series.days(dt.date(2027, 2, 1), 1, TODAY, count=3)
    booked = [(_utc(dt.date(2027, 2, 8), 9, 30), _utc(dt.date(2027, 2, 8), 10, 30))]
    time_off = [(dt.date(2027, 2, 15), dt.date(2027, 2, 19))]
    planned = series.plan([(d, NINE, True) for d in days], 50, "Europe/London", NOW, booked, time_off, True)
    assert [(o.problem, o.chosen) for o in planned] == [("", True), (booking.OVERLAP, False), (series.TIME_OFF, False)]


def test_time_off_only_warns_but_a_collision_refuses_the_series():
    day = dt.date(2027, 2, 15)
    away = series.plan([(day, NINE, True)], 50, "Europe/London", NOW, [], [(day, day)])
    assert series.bookable(away) == [_utc(day, 9)]
    taken = series.plan([(day, NINE, True)], 50, "Europe/London", NOW, [(_utc(day, 9), _utc(day, 10))], [])
    with pytest.raises(booking.BookingError) as refused:
        series.bookable(taken)
    assert refused.value.code == booking.OVERLAP


def test_two_occurrences_moved_onto_one_time_collide_with_each_other():
    day = dt.date(2027, 2, 15)
    planned = series.plan([(day, NINE, True), (day, dt.time(9, 30), True)], 50, "Europe/London", NOW, [], [])
    assert [o.problem for o in planned] == ["", booking.OVERLAP]


def test_skipped_occurrences_are_not_booked_and_skipping_all_is_refused():
    days = series.days(dt.date(2027, 2, 1), 1, TODAY, count=3)
    planned = series.plan([(d, NINE, d != days[1]) for d in days], 50, "Europe/London", NOW, [], [])
    assert series.bookable(planned) == [_utc(days[0], 9), _utc(days[2], 9)]
    with pytest.raises(series.SeriesError) as refused:
        series.bookable(series.plan([(d, NINE, False) for d in days], 50, "Europe/London", NOW, [], []))
    assert refused.value.code == series.NOTHING_CHOSEN


def test_a_past_occurrence_is_marked():
    planned = series.plan([(dt.date(2027, 1, 3), NINE, True)], 50, "Europe/London", NOW, [], [], True)
    assert planned[0].problem == booking.IN_THE_PAST and not planned[0].chosen


def test_the_rules_import_no_flask():
    tree = ast.parse(inspect.getsource(series))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.startswith(("flask", "peewee")) for name in imported)

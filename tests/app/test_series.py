"""Weekly series from a client's page (issue 14): the preview marks what is in the way, the professional skips or
moves occurrences, the whole series is booked in one transaction (or nothing, when someone took a time since the
preview), a double submit books once, and "this and all following" cancels with one email. Another clinic's ids
and a colleague's are not found."""

import datetime as dt

import pytest
from frontdesk import booking
from frontdesk.models import Appointment, ChargeDecision, Series, TimeOff

from tests.conftest import add_professional, outbox, snapshot
from tests.pages import parse, texts

from .booking_fixtures import fresh, local, make_client, owner_of, service_of, someone_else_books
from .conftest import next_july_day, next_spring_forward, text

NINE = dt.time(9, 0)


def rule(clinic, first_day, count=4, weeks_apart=1, professional=None, **extra):
    """The series form on the client's page as the professional fills it in."""
    data = {
        "series-service": str(service_of(clinic).id),
        "series-professional": str((professional or owner_of(clinic)).id),
        "series-day": first_day.isoformat(),
        "series-time": "09:00",
        "series-weeks_apart": str(weeks_apart),
        "series-ends": "count",
        "series-count": str(count),
        "series-until": "",
    }
    data.update({f"series-{name}": value for name, value in extra.items()})
    return data


def preview(auth, person, data):
    token = auth.csrf("/workstation/requests")  # any workstation page's token: another clinic's client has no page
    return auth.client.post(
        f"/workstation/clients/{person.id}/series/preview", data=dict(data, **{"series-csrf_token": token})
    )


def submitted(response, **changes):
    """What the preview's form sends, as a browser sends it (ticked boxes only), with `changes` made first:
    {"rows-1-book": None} unticks the second date, {"rows-2-time": "11:00"} moves the third."""
    form = next(f for f in parse(response).find_all("form") if f.get("action", "").endswith("/series"))
    data = {}
    for element in form.find_all("input"):
        if element.get("type") == "checkbox" and "checked" not in element.attrs:
            continue
        data[element["name"]] = element.get("value", "y")
    for name, value in changes.items():
        if value is None:
            data.pop(f"series-{name}", None)
        else:
            data[f"series-{name}"] = value
    return data


def book(auth, person, data):
    return auth.client.post(f"/workstation/clients/{person.id}/series", data=data)


def marks(response):
    """Each row's date and what the preview says is in its way."""
    rows = parse(response).find("tbody").find_all("tr")
    return [(row.find("input", type="date")["value"], row.find_all("td")[-1].text) for row in rows]


def series_sessions(person):
    return list(Appointment.select().where(Appointment.client == person).order_by(Appointment.starts_at))


def monday_in_july():
    day = next_july_day()
    return day - dt.timedelta(days=day.weekday())


def test_the_preview_lists_every_date_and_marks_sessions_and_time_off_booking_nothing(owner, clinic):
    person = make_client(clinic)
    first = monday_in_july()
    taken = someone_else_books(clinic, booking.local_to_utc(first + dt.timedelta(weeks=1), NINE, clinic.timezone))
    TimeOff.create(professional=owner_of(clinic), first_day=first + dt.timedelta(weeks=2), last_day=first)
    TimeOff.create(
        professional=owner_of(clinic), first_day=first + dt.timedelta(weeks=2), last_day=first + dt.timedelta(weeks=2)
    )
    before = snapshot()
    response = preview(owner, person, rule(clinic, first))
    assert response.status_code == 200, text(response)
    assert marks(response) == [
        (first.isoformat(), "Free"),
        ((first + dt.timedelta(weeks=1)).isoformat(), "Another session at this time"),
        ((first + dt.timedelta(weeks=2)).isoformat(), "Time off"),
        ((first + dt.timedelta(weeks=3)).isoformat(), "Free"),
    ]
    ticked = ["checked" in box.attrs for box in parse(response).find_all("input", type="checkbox")]
    assert ticked == [True, False, False, True], "what is in the way is skipped until the professional says otherwise"
    assert snapshot() == before, "a preview books nothing and sends nothing"
    assert taken.status == "booked"


def test_skipped_and_moved_dates_are_booked_as_ordinary_sessions_each_with_its_emails(owner, clinic):
    person = make_client(clinic)
    first = monday_in_july()
    shown = preview(owner, person, rule(clinic, first, count=4, weeks_apart=2))
    moved = (first + dt.timedelta(weeks=4, days=1)).isoformat()
    response = book(
        owner, person, submitted(shown, **{"rows-1-book": None, "rows-2-day": moved, "rows-2-time": "11:30"})
    )
    assert response.status_code == 302, text(response)
    page = text(owner.client.get(response.headers["Location"]))
    assert "3 sessions of the series are booked" in page
    sessions = series_sessions(person)
    assert [local(s.starts_at, clinic).replace(tzinfo=None) for s in sessions] == [
        dt.datetime.combine(first, NINE),
        dt.datetime.combine(first + dt.timedelta(weeks=4, days=1), dt.time(11, 30)),
        dt.datetime.combine(first + dt.timedelta(weeks=6), NINE),
    ]
    assert len({s.series_id for s in sessions}) == 1 and sessions[0].series_id is not None
    assert Series.get_by_id(sessions[0].series_id).weeks_apart == 2
    assert len({s.manage_nonce for s in sessions}) == 3, "each its own manage link"
    assert len(outbox(person.email)) == 3, "one confirmation per session booked"
    assert len(outbox(owner_of(clinic).email)) == 3
    assert texts(page, "span", class_="tag").count("Series") == 3, "the client's page marks each session"


def test_a_series_across_the_clocks_changing_keeps_nine_oclock(owner, clinic):
    person = make_client(clinic)
    change = next_spring_forward()
    first = change - dt.timedelta(days=13)
    response = book(owner, person, submitted(preview(owner, person, rule(clinic, first, count=4))))
    assert response.status_code == 302, text(response)
    starts = [s.starts_at for s in series_sessions(person)]
    assert [local(s, clinic).time() for s in starts] == [NINE] * 4
    assert [s.hour for s in starts] == [9, 9, 8, 8], "GMT, then British Summer Time"


def test_a_time_taken_since_the_preview_refuses_the_whole_series(owner, clinic):
    person = make_client(clinic)
    first = monday_in_july()
    shown = preview(owner, person, rule(clinic, first, count=4))
    someone_else_books(clinic, booking.local_to_utc(first + dt.timedelta(weeks=2), dt.time(9, 30), clinic.timezone))
    before = snapshot()
    response = book(owner, person, submitted(shown))
    assert response.status_code == 409
    assert "Nothing was booked" in text(response)
    assert marks(response)[2][1] == "Another session at this time"
    assert snapshot() == before, "no session, no series, no email"


def test_the_whole_series_is_refused_when_the_lock_finds_a_collision(owner, clinic, monkeypatch):
    """The race itself: the check before the transaction saw every time free, the one under the lock does not."""
    from frontdesk import appointments

    person = make_client(clinic)
    first = monday_in_july()
    shown = preview(owner, person, rule(clinic, first, count=3))
    real_plan = appointments.plan_series
    calls = []

    def plan_then_someone_books(*args, **kwargs):
        planned = real_plan(*args, **kwargs)
        if not calls:
            someone_else_books(clinic, booking.local_to_utc(first + dt.timedelta(weeks=1), NINE, clinic.timezone))
        calls.append(1)
        return planned

    monkeypatch.setattr(appointments, "plan_series", plan_then_someone_books)
    response = book(owner, person, submitted(shown))
    assert response.status_code == 409
    assert "Nothing was booked" in text(response)
    assert series_sessions(person) == [] and Series.select().count() == 0
    assert outbox(person.email) == []


def test_a_double_submit_books_the_series_once(owner, clinic):
    person = make_client(clinic)
    data = submitted(preview(owner, person, rule(clinic, monday_in_july(), count=3)))
    assert book(owner, person, data).status_code == 302
    again = book(owner, person, data)
    assert again.status_code == 302
    assert "already booked" in text(owner.client.get(again.headers["Location"]))
    assert len(series_sessions(person)) == 3 and Series.select().count() == 1
    assert len(outbox(person.email)) == 3


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"count": "53"}, "A series has from 2 to 52 sessions."),
        ({"count": "1"}, "A series has from 2 to 52 sessions."),
        ({"ends": "until", "until": "2000-01-01"}, "The last date must be on or after the first session."),
        ({"ends": "until"}, "Please give a number of sessions or a last date."),
        ({"count": "52", "weeks_apart": "4"}, "The series goes too far ahead."),
        ({"weeks_apart": "5"}, "Not a valid choice."),
    ],
)
def test_a_bad_rule_is_refused_beside_its_field_and_changes_nothing(owner, clinic, changes, message):
    person = make_client(clinic)
    data = rule(clinic, monday_in_july())
    data.update({f"series-{name}": value for name, value in changes.items()})
    before = snapshot()
    response = preview(owner, person, data)
    assert response.status_code == 422
    errors = " ".join(texts(response, "p", class_="error"))
    assert message in errors
    assert snapshot() == before


def test_skipping_every_date_books_nothing(owner, clinic):
    person = make_client(clinic)
    shown = preview(owner, person, rule(clinic, monday_in_july(), count=2))
    response = book(owner, person, submitted(shown, **{"rows-0-book": None, "rows-1-book": None}))
    assert response.status_code == 422
    assert "Every session is skipped" in text(response)
    assert series_sessions(person) == []


def test_this_and_all_following_cancels_the_rest_with_one_email_and_no_fee(owner, clinic):
    person = make_client(clinic)
    first = monday_in_july()
    assert book(owner, person, submitted(preview(owner, person, rule(clinic, first, count=4)))).status_code == 302
    sessions = series_sessions(person)
    mail_before = len(outbox(person.email))
    page = f"/workstation/sessions/{sessions[1].id}"
    response = owner.post(f"{page}/cancel-following", page=page)
    assert response.status_code == 302
    assert "3 sessions are cancelled" in text(owner.client.get(response.headers["Location"]))
    assert [fresh(s).status for s in sessions] == ["booked", "cancelled", "cancelled", "cancelled"]
    assert ChargeDecision.select().count() == 0, "a professional's cancellation carries no fee"
    new = outbox(person.email)[mail_before:]
    assert len(new) == 1, "one email listing the dates, not one per session"
    assert new[0].subject == "Your sessions with Harbour Counselling are cancelled"
    assert new[0].text_body.count("\n- ") == 3
    assert new[0].ics_method == "CANCEL" and new[0].ics.count("BEGIN:VEVENT") == 3
    assert person.name not in outbox(owner_of(clinic).email)[-1].text_body


def test_cancelling_one_session_of_a_series_says_the_others_stay(owner, clinic):
    person = make_client(clinic)
    assert (
        book(owner, person, submitted(preview(owner, person, rule(clinic, monday_in_july(), count=3)))).status_code
        == 302
    )
    sessions = series_sessions(person)
    page = f"/workstation/sessions/{sessions[0].id}"
    assert owner.post(f"{page}/cancel", page=page).status_code == 302
    assert [fresh(s).status for s in sessions] == ["cancelled", "booked", "booked"]
    assert "the others stay booked" in outbox(person.email)[-1].text_body


def test_the_week_grid_marks_series_sessions(owner, clinic):
    person = make_client(clinic)
    first = monday_in_july()
    assert book(owner, person, submitted(preview(owner, person, rule(clinic, first, count=2)))).status_code == 302
    grid = text(owner.client.get(f"/workstation/sessions?day={first.isoformat()}"))
    blocks = parse(grid).find("table", class_="time-grid").find_all("a", class_="block")
    assert ["Series" in block.text for block in blocks] == [True], "the week holds one session of the series"


def test_another_clinics_and_a_colleagues_ids_are_not_found(app, owner, staff, clinic, other_clinic):
    theirs = make_client(other_clinic, "elin@example.com", "Elin")
    assert preview(owner, theirs, rule(clinic, monday_in_july())).status_code == 404
    assert book(owner, theirs, rule(clinic, monday_in_july())).status_code == 404
    # A professional may book a series for themselves only, and only for their own clients.
    mine = make_client(clinic, "sam@example.com", "Sam")
    ben = (
        fresh(owner_of(clinic)).clinic.professionals.where(type(owner_of(clinic)).email == "ben@harbour.example").get()
    )
    assert preview(staff, mine, rule(clinic, monday_in_july(), professional=owner_of(clinic))).status_code == 404
    assert preview(staff, mine, rule(clinic, monday_in_july(), professional=ben)).status_code == 200
    assert (
        book(owner, mine, submitted(preview(owner, mine, rule(clinic, monday_in_july(), count=2)))).status_code == 302
    )
    colleagues = series_sessions(mine)
    assert preview(staff, mine, rule(clinic, monday_in_july(), professional=ben)).status_code == 404
    page = f"/workstation/sessions/{colleagues[0].id}"
    assert staff.post(f"{page}/cancel-following").status_code == 404
    other_session = someone_else_books(other_clinic, booking.local_to_utc(monday_in_july(), NINE, "UTC"))
    assert owner.post(f"/workstation/sessions/{other_session.id}/cancel-following").status_code == 404
    assert [fresh(s).status for s in colleagues] == ["booked", "booked"]
    assert fresh(other_session).status == "booked"
    assert add_professional  # the staff fixture made Ben


def test_a_moved_session_stays_in_its_series(owner, clinic):
    person = make_client(clinic)
    first = monday_in_july()
    assert book(owner, person, submitted(preview(owner, person, rule(clinic, first, count=2)))).status_code == 302
    session = series_sessions(person)[0]
    page = f"/workstation/sessions/{session.id}"
    moved_to = {"day": (first + dt.timedelta(days=1)).isoformat(), "time": "14:00"}
    assert owner.post(f"{page}/reschedule", moved_to, page=page).status_code == 302
    moved = fresh(session).rescheduled_to
    assert moved.series_id == session.series_id


def test_until_a_date_every_two_weeks_lists_each_date_up_to_it(owner, clinic):
    person = make_client(clinic)
    first = monday_in_july()
    data = rule(clinic, first, weeks_apart=2, ends="until", until=(first + dt.timedelta(weeks=5)).isoformat())
    response = preview(owner, person, data)
    assert response.status_code == 200, text(response)
    assert [day for day, _mark in marks(response)] == [(first + dt.timedelta(weeks=n)).isoformat() for n in (0, 2, 4)]

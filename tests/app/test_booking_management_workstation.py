"""The professional's side of issue 3: the calendar (week and day, in the clinic's timezone, cancelled
sessions kept), a session's details and the professional's cancel, reschedule and no-show, the list of
charge decisions with its CSV, and Settings → Availability — and another clinic's ids, which are
never found."""

import csv
import datetime as dt
import io
import re

import pytest
from babel.dates import format_date, format_time
from frontdesk import appointments, booking, charges, clinics, demo
from frontdesk.models import Appointment, ChargeDecision, Clinic, Hub, Professional, TimeOff, WorkingHours
from frontdesk.states import Actor

from tests.conftest import add_professional, outbox, quick_hash, snapshot
from tests.pages import details, parse, texts

from .booking_fixtures import fresh, local, make_client, make_session, owner_of
from .conftest import SETTINGS_PAGE, next_july_day, next_spring_forward, text

AVAILABILITY = "/workstation/settings/availability"


def follow(auth, response):
    """The page a workstation form redirects to, with its flashed message."""
    assert response.status_code == 302, text(response)
    return text(auth.client.get(response.headers["Location"]))


def session_at(clinic, day, hour, minute=0, **fields):
    """A booked session at a local wall-clock time of the clinic, 50 minutes long."""
    start = booking.local_to_utc(day, dt.time(hour, minute), fresh(clinic).timezone)
    row = make_session(clinic, 1, **fields)
    Appointment.update(starts_at=start, ends_at=start + dt.timedelta(minutes=50)).where(
        Appointment.id == row.id
    ).execute()
    return fresh(row)


def block(page, appointment):
    """The calendar block of one session: its class and its text."""
    match = re.search(r'<a class="(block[^"]*)" href="/workstation/sessions/%d">(.*?)</a>' % appointment.id, page, re.S)
    return match and (match.group(1), re.sub(r"[ \n]+", " ", re.sub(r"<[^>]+>", " ", match.group(2))).strip())


def day_section(page, day):
    """Every cell of one day's column in the calendar's time grid."""
    return "".join(re.findall(r'<td data-day="%s" data-hour="\d+">(.*?)</td>' % day.isoformat(), page, re.S))


def medium(moment, clinic):
    """A moment as the workstation writes when something happened: medium date, time without seconds, in
    English as spoken in the clinic's country."""
    moment, locale = local(moment, clinic), f"en_{clinic.country}"
    return f"{format_date(moment, 'medium', locale=locale)}, {format_time(moment, 'short', locale=locale)}"


def short_time(moment, clinic):
    """The time of day as the workstation writes it: English as spoken in the clinic's country (05:00 in the UK)."""
    return format_time(local(moment, clinic), "short", locale=f"en_{clinic.country}")


# --- The calendar ----------------------------------------------------------------------------------------


def test_the_week_shows_sessions_on_their_local_day_with_cancelled_ones_struck_through(
    client, owner, clinic, other_clinic
):
    """In Tokyo (UTC+9) a session at 20:00 UTC on Monday is 05:00 on Tuesday: the week puts it there.
    A cancelled session stays, marked as cancelled; another clinic's sessions are not shown."""
    Clinic.update(timezone="Asia/Tokyo").where(Clinic.id == clinic.id).execute()
    monday = next_july_day() - dt.timedelta(days=next_july_day().weekday())
    tuesday = monday + dt.timedelta(days=1)
    early = session_at(clinic, tuesday, 5)
    assert early.starts_at.date() == monday, "stored in UTC on the day before"
    kept = session_at(clinic, tuesday, 11, channel="direct", client=make_client(clinic, "noor@example.com", "Noor"))
    gone = session_at(clinic, tuesday, 14, status="cancelled")
    theirs = session_at(other_clinic, tuesday, 11, client=make_client(other_clinic, "elin@example.com", "Elin Fjord"))

    page = text(client.get(f"/workstation/sessions?day={tuesday.isoformat()}"))
    assert "Times in Asia/Tokyo" in page
    assert page.count('class="calendar-day') == 7
    tuesday_part = day_section(page, tuesday)
    assert block(tuesday_part, early) == (
        "block block-booked pro-0",
        f"{short_time(early.starts_at, fresh(clinic))}–"
        f"{short_time(early.ends_at, fresh(clinic))} Kim Lee Initial consultation · Ada Byrne",
    )
    assert block(tuesday_part, kept)[0] == "block block-booked pro-0"
    assert block(tuesday_part, gone) == ("block block-cancelled pro-0", block(tuesday_part, gone)[1])
    assert block(tuesday_part, gone)[1].endswith("Ada Byrne Cancelled"), "the state in words, too"
    assert block(day_section(page, monday), early) is None
    assert block(page, theirs) is None and "Elin Fjord" not in page


def test_the_day_view_shows_one_day_and_moves_by_days(client, owner, clinic):
    day = next_july_day()
    here = session_at(clinic, day, 10)
    tomorrow = session_at(clinic, day + dt.timedelta(days=1), 10)
    page = text(client.get(f"/workstation/sessions?view=day&day={day.isoformat()}&who={owner_of(clinic).id}"))
    assert page.count('class="calendar-day') == 1
    assert block(page, here) and block(page, tomorrow) is None
    assert f"view=day&who={owner_of(clinic).id}&day={(day + dt.timedelta(days=1)).isoformat()}" in page
    assert "Next day" in page and 'aria-current="page">Day' in page


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "next week"])
def test_a_calendar_address_with_an_impossible_day_shows_today(client, owner, day):
    for view in ("week", "day"):
        response = client.get(f"/workstation/sessions?view={view}&day={day}")
        assert response.status_code == 200 and 'class="calendar-day today' in text(response)


# --- A session's details -----------------------------------------------------------------------------------


def test_the_details_of_a_session_booked_by_the_client_through_a_hub(client, owner, clinic):
    session = make_session(clinic, 72, channel="hub")
    page = text(client.get(f"/workstation/sessions/{session.id}"))
    assert "Kim Lee" in page and "kim@example.com" in page and "Initial consultation" in page
    assert "Wellbeing Hub (Acme Wellbeing)" in page
    booked = medium(session.created_at, clinic)
    assert f"{booked} · by the client" in page
    assert "Cancel session" in page and "Reschedule session" in page and "Mark as no-show" not in page


def test_the_details_of_a_late_client_cancellation_and_its_reschedule(client, owner, clinic):
    """A cancelled session shows who cancelled, when, with how much notice and that it was late; a moved
    one links to where it moved, and the new one back."""
    late = make_session(clinic, 5.5, channel="hub")
    appointments.cancel(late, Actor.CLIENT)
    page = text(client.get(f"/workstation/sessions/{late.id}"))
    cancelled_at = medium(fresh(late).cancelled_at, clinic)
    assert f"{cancelled_at} · by the client" in page
    shown = details(page)
    assert shown["Notice"].text == "5 hours · Late cancellation"
    assert parse(page).find("h1", class_="cancelled") is not None
    assert "Cancel session" not in page and "Reschedule session" not in page
    assert shown["Charge"].text == "£0.00 · To decide"
    assert shown["Charge"].find("a", href="/workstation/charges?status=open").text == "To decide"

    moving = make_session(clinic, 72, channel="direct")
    _, moved = appointments.reschedule(
        moving, moving.starts_at + dt.timedelta(days=1), Actor.PROFESSIONAL, professional=owner_of(clinic)
    )
    page = text(client.get(f"/workstation/sessions/{moving.id}"))
    assert f"{medium(fresh(moving).cancelled_at, clinic)} · Ada Byrne" in page
    shown = details(page)
    assert "Late cancellation" not in page and "Rescheduled" in texts(page, "dd") and "Charge" not in shown
    assert shown["Rescheduled to"].find("a")["href"] == f"/workstation/sessions/{moved.id}"
    new_page = text(client.get(f"/workstation/sessions/{moved.id}"))
    assert details(new_page)["Rescheduled from"].find("a")["href"] == f"/workstation/sessions/{moving.id}"
    assert "· Ada Byrne" in new_page, "the professional who moved it booked the new session"


# --- The professional's changes -------------------------------------------------------------------------


def detail(appointment):
    return f"/workstation/sessions/{appointment.id}"


def test_the_professional_cancels_a_session(owner, clinic):
    """Even inside the late window a professional's cancellation costs the client nothing."""
    session = make_session(clinic, 2, channel="hub")
    page = follow(owner, owner.post(detail(session) + "/cancel", page=detail(session)))
    assert "The session is cancelled. Kim Lee will get an email." in page
    row = fresh(session)
    assert (row.status, row.cancelled_by, row.cancelled_by_professional_id, row.late) == (
        "cancelled",
        "professional",
        owner_of(clinic).id,
        False,
    )
    assert ChargeDecision.select().count() == 0
    assert sorted((m.to_address, m.ics_method) for m in outbox()) == [
        ("kim@example.com", "CANCEL"),
        ("owner@harbour.example", "CANCEL"),
    ]
    before = snapshot()
    again = follow(owner, owner.post(detail(session) + "/cancel", page=SETTINGS_PAGE))
    assert "already cancelled or rescheduled" in again and snapshot() == before


def test_a_session_that_has_ended_cannot_be_cancelled_or_moved(owner, clinic):
    session = make_session(clinic, -3)
    before = snapshot()
    assert "has ended" in follow(owner, owner.post(detail(session) + "/cancel", page=detail(session)))
    response = owner.post(
        detail(session) + "/reschedule", {"day": next_july_day().isoformat(), "time": "10:00"}, page=detail(session)
    )
    assert response.status_code == 422 and "has ended" in text(response)
    assert snapshot() == before


def test_the_professional_reschedules_a_session_with_four_emails(owner, clinic):
    session = make_session(clinic, 72, channel="request")
    day = next_july_day()
    response = owner.post(
        detail(session) + "/reschedule", {"day": day.isoformat(), "time": "10:00"}, page=detail(session)
    )
    moved = Appointment.get(Appointment.status == "booked")
    assert response.headers["Location"].endswith(detail(moved))
    assert "The session was rescheduled. Kim Lee will get an email with the new time." in follow(owner, response)
    assert moved.starts_at == dt.datetime.combine(day, dt.time(9))  # 10:00 British Summer Time
    assert (moved.channel, moved.booked_by_id, moved.client_id) == ("request", owner_of(clinic).id, session.client_id)
    old = fresh(session)
    assert (old.status, old.cancel_reason, old.rescheduled_to_id, old.cancelled_by) == (
        "cancelled",
        "rescheduled",
        moved.id,
        "professional",
    )
    assert sorted((m.to_address, m.ics_method) for m in outbox()) == [
        ("kim@example.com", "CANCEL"),
        ("kim@example.com", "REQUEST"),
        ("owner@harbour.example", "CANCEL"),
        ("owner@harbour.example", "REQUEST"),
    ]
    assert "Previous time:" in outbox("kim@example.com")[0].text_body


@pytest.mark.parametrize(
    "when, status, message",
    [
        (lambda clinic: (next_july_day(), "10:30"), 409, "overlaps another session"),
        (lambda clinic: (dt.date.today() - dt.timedelta(days=2), "10:00"), 422, "already passed"),
        (lambda clinic: (next_spring_forward(), "01:30"), 422, "clocks change"),
        (lambda clinic: ("", "10:00"), 422, "Please enter a date."),
        (lambda clinic: (next_july_day(), "25:00"), 422, "Please enter a time."),
    ],
    ids=["overlap", "past", "skipped by the clocks", "no date", "bad time"],
)
def test_a_reschedule_the_rules_refuse_changes_nothing(owner, clinic, when, status, message):
    session = make_session(clinic, 72)
    blocker = session_at(clinic, next_july_day(), 10, client=make_client(clinic, "noor@example.com", "Noor"))
    assert blocker
    day, time = when(clinic)
    before = snapshot()
    response = owner.post(detail(session) + "/reschedule", {"day": str(day), "time": time}, page=detail(session))
    assert response.status_code == status and message in text(response)
    assert snapshot() == before


def test_a_no_show_opens_a_charge_decision_once_the_session_has_started(owner, clinic):
    Clinic.update(late_fee_cents=2500, currency="ISK").where(Clinic.id == clinic.id).execute()
    upcoming = make_session(clinic, 2)
    before = snapshot()
    assert "once the session has started" in follow(
        owner, owner.post(detail(upcoming) + "/no-show", page=detail(upcoming))
    )
    assert snapshot() == before

    started = make_session(clinic, -0.5, client=make_client(clinic, "noor@example.com", "Noor"))
    assert "Mark as no-show" in text(owner.client.get(detail(started)))
    page = follow(owner, owner.post(detail(started) + "/no-show", page=detail(started)))
    assert "Recorded as a no-show" in page and "No-show" in texts(page, "dd")
    decision = ChargeDecision.get()
    assert (decision.appointment_id, decision.reason, decision.amount_cents, decision.currency, decision.status) == (
        started.id,
        "no_show",
        2500,
        "ISK",
        "open",
    )
    after = snapshot()
    assert "already recorded as a no-show" in follow(
        owner, owner.post(detail(started) + "/no-show", page=SETTINGS_PAGE)
    )
    assert snapshot() == after


# --- Charges -------------------------------------------------------------------------------------------------


@pytest.fixture
def decisions(clinic):
    """A late cancellation by a client with a formula-looking name, and a no-show."""
    Clinic.update(late_fee_cents=4000, currency="EUR").where(Clinic.id == clinic.id).execute()
    mallory = make_client(clinic, "mallory@example.com", '=HYPERLINK("http://evil.example","Click")')
    late = make_session(clinic, 3, channel="hub", client=mallory)
    appointments.cancel(late, Actor.CLIENT)
    missed = make_session(clinic, -1, channel="direct")
    appointments.mark_no_show(missed, owner_of(clinic))
    return ChargeDecision.get(ChargeDecision.appointment == late), ChargeDecision.get(
        ChargeDecision.appointment == missed
    )


def decide(owner, decision, value, note="", status="open"):
    return owner.post(
        f"/workstation/charges/{decision.id}?status={status}", {"decision": value, "note": note}, page=SETTINGS_PAGE
    )


def test_charges_are_listed_charged_and_waived_once_each(client, owner, clinic, decisions):
    late, missed = decisions
    page = text(client.get("/workstation/charges"))
    assert page.count('class="decide"') == 2 and "€40.00" in page
    assert "Late cancellation" in page and "No-show" in page

    assert "Charged." in follow(owner, decide(owner, late, "charged", note="Invoice 12"))
    assert "Waived." in follow(owner, decide(owner, missed, "waived"))
    row = ChargeDecision.get_by_id(late.id)
    assert (row.status, row.note, row.decided_by_id, row.amount_cents) == (
        "charged",
        "Invoice 12",
        owner_of(clinic).id,
        4000,
    )
    before = snapshot()
    for decision, value in ((late, "waived"), (late, "charged"), (missed, "charged")):
        assert "already decided" in follow(owner, decide(owner, decision, value, note="Twice"))
    assert snapshot() == before
    assert "expired" in follow(owner, decide(owner, fresh(ChargeDecision.get_by_id(late.id)), "refund"))
    assert snapshot() == before


def test_charges_filter_by_status(client, owner, decisions):
    late, missed = decisions
    decide(owner, late, "charged")

    def listed(status):
        page = client.get(f"/workstation/charges?status={status}").get_data(as_text=True)
        return sorted(int(i) for i in re.findall(r'href="/workstation/sessions/(\d+)"', page))

    assert listed("open") == [missed.appointment_id]
    assert listed("charged") == [late.appointment_id]
    assert listed("waived") == []
    assert listed("all") == listed("anything") == sorted([late.appointment_id, missed.appointment_id])


def test_charges_export_as_csv_with_formulas_defused(client, owner, decisions):
    late, missed = decisions
    decide(owner, late, "charged", note="+ paid at reception")
    response = client.get("/workstation/charges.csv?status=all")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="charges-all.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert (
        rows[0]
        == charges.CSV_COLUMNS
        == [
            "decision_id",
            "status",
            "reason",
            "amount",
            "currency",
            "client",
            "client_email",
            "professional",
            "service",
            "session_start_utc",
            "created_utc",
            "decided_utc",
            "decided_by",
            "note",
        ]
    )
    by_id = {int(row[0]): dict(zip(rows[0], row)) for row in rows[1:]}
    assert set(by_id) == {late.id, missed.id}
    charged = by_id[late.id]
    assert charged["client"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert charged["note"] == "'+ paid at reception"
    assert (charged["status"], charged["reason"], charged["amount"], charged["currency"]) == (
        "charged",
        "late_cancellation",
        "40.00",
        "EUR",
    )
    assert charged["decided_by"] == "Ada Byrne" and charged["decided_utc"]
    assert charged["session_start_utc"] == fresh(late).appointment.starts_at.isoformat()
    assert by_id[missed.id]["reason"] == "no_show" and by_id[missed.id]["decided_utc"] == ""
    open_only = list(csv.reader(io.StringIO(client.get("/workstation/charges.csv").get_data(as_text=True))))
    assert [int(row[0]) for row in open_only[1:]] == [missed.id]


# --- Settings → Availability ---------------------------------------------------------------------------------


def hours_form(**days):
    """The weekly hours form: days={weekday: ("09:00", "17:00")}."""
    data = {}
    for day, (opens, closes) in days.items():
        number = int(day[1:])
        data.update({f"works_{number}": "y", f"opens_{number}": opens, f"closes_{number}": closes})
    return data


def test_working_hours_are_saved_and_checked(client, owner, clinic):
    assert "Your working hours" in text(client.get(AVAILABILITY))
    page = follow(
        owner,
        owner.post(
            AVAILABILITY + "/hours", hours_form(d0=("09:00", "17:00"), d2=("13:30", "18:00")), page=AVAILABILITY
        ),
    )
    assert "Your working hours were saved" in page
    saved = sorted((h.weekday, h.opens, h.closes) for h in WorkingHours.select())
    assert saved == [(0, dt.time(9), dt.time(17)), (2, dt.time(13, 30), dt.time(18))]
    for data, message in (
        (hours_form(d1=("17:00", "09:00")), "The end must be after the start."),
        (hours_form(d1=("09:00", "09:00")), "The end must be after the start."),
        ({"works_3": "y", "opens_3": "09:00"}, "Please give both times"),
    ):
        response = owner.post(AVAILABILITY + "/hours", data, page=AVAILABILITY)
        assert response.status_code == 422 and message in text(response)
    assert sorted((h.weekday, h.opens, h.closes) for h in WorkingHours.select()) == saved


def test_time_off_is_added_checked_and_removed(client, owner, clinic):
    first = next_july_day()
    response = owner.post(
        AVAILABILITY + "/time-off",
        {"first_day": first.isoformat(), "last_day": (first + dt.timedelta(days=4)).isoformat(), "note": "Summer"},
        page=AVAILABILITY,
    )
    assert "Your time off was added." in follow(owner, response)
    entry = TimeOff.get()
    assert (entry.first_day, entry.last_day, entry.note) == (first, first + dt.timedelta(days=4), "Summer")
    for data, message in (
        (
            {"first_day": first.isoformat(), "last_day": (first - dt.timedelta(days=1)).isoformat()},
            "The last day cannot be before the first day.",
        ),
        ({"first_day": "", "last_day": first.isoformat()}, "Please enter a date."),
    ):
        response = owner.post(AVAILABILITY + "/time-off", data, page=AVAILABILITY)
        assert response.status_code == 422 and message in text(response)
    assert TimeOff.select().count() == 1
    one_day = owner.post(
        AVAILABILITY + "/time-off", {"first_day": first.isoformat(), "last_day": first.isoformat()}, page=AVAILABILITY
    )
    assert one_day.status_code == 302 and TimeOff.select().count() == 2
    assert "The time off was removed." in follow(
        owner, owner.post(f"{AVAILABILITY}/time-off/{entry.id}/delete", page=AVAILABILITY)
    )
    assert [t.first_day for t in TimeOff.select()] == [first]


def test_the_hub_listing_is_saved(owner, clinic):
    page = follow(owner, owner.post(AVAILABILITY + "/hub", {"hub_mode": "request"}, page=AVAILABILITY))
    assert "Your Wellbeing Hub listing was saved." in page
    assert fresh(owner_of(clinic)).hub_mode == "request"
    response = owner.post(AVAILABILITY + "/hub", {"hub_mode": "everything"}, page=AVAILABILITY)
    assert response.status_code == 422 and fresh(owner_of(clinic)).hub_mode == "request"


def test_the_owner_sets_the_cancellation_policy(owner, clinic):
    page = follow(
        owner,
        owner.post(
            AVAILABILITY + "/policy", {"policy_hours": "48", "late_fee": "40.50", "currency": "eur"}, page=AVAILABILITY
        ),
    )
    assert "Your cancellation policy was saved." in page
    row = fresh(clinic)
    assert (row.policy_hours, row.late_fee_cents, row.currency) == (48, 4050, "EUR")
    for data, message in (
        ({"policy_hours": "48", "late_fee": "10", "currency": "XYZ"}, "currency code"),
        ({"policy_hours": "48", "late_fee": "10", "currency": "EURO"}, "currency code"),
        ({"policy_hours": "0", "late_fee": "10", "currency": "EUR"}, "Between 1 and 720 hours."),
        ({"policy_hours": "48", "late_fee": "-1", "currency": "EUR"}, "0 or more"),
    ):
        response = owner.post(AVAILABILITY + "/policy", data, page=AVAILABILITY)
        assert response.status_code == 422 and message in text(response)
    assert (fresh(clinic).policy_hours, fresh(clinic).late_fee_cents, fresh(clinic).currency) == (48, 4050, "EUR")


def test_only_the_owner_may_change_the_policy(staff, clinic):
    page = text(staff.client.get(AVAILABILITY))
    assert "Save policy" not in page and "Clients cancelling with less than 24 hours of notice are late." in page
    response = staff.post(
        AVAILABILITY + "/policy", {"policy_hours": "72", "late_fee": "99", "currency": "USD"}, page=AVAILABILITY
    )
    assert response.status_code == 403
    assert (fresh(clinic).policy_hours, fresh(clinic).currency) == (24, "GBP")
    # Their own hours are theirs to set.
    assert staff.post(AVAILABILITY + "/hours", hours_form(d4=("10:00", "12:00")), page=AVAILABILITY).status_code == 302
    ben = Professional.get(Professional.email == "ben@harbour.example")
    assert [(h.professional_id, h.weekday) for h in WorkingHours.select()] == [(ben.id, 4)]


# --- Another clinic's ids, and forms without their CSRF token ----------------------------------------------


@pytest.fixture
def theirs(other_clinic):
    """The other clinic's session, charge decision and time off."""
    session = make_session(
        other_clinic, 30, channel="hub", client=make_client(other_clinic, "elin@example.com", "Elin Fjord")
    )
    started = make_session(other_clinic, -1, channel="direct", client=fresh(session).client)
    appointments.mark_no_show(started, owner_of(other_clinic))
    time_off = TimeOff.create(professional=owner_of(other_clinic), first_day=next_july_day(), last_day=next_july_day())
    return {"session": session.id, "started": started.id, "decision": ChargeDecision.get().id, "time_off": time_off.id}


def other_state():
    return (
        snapshot(),
        [(t.id, t.first_day) for t in TimeOff.select()],
        [(c.id, c.policy_hours, c.currency) for c in Clinic.select()],
        [h.id for h in Hub.select()],
    )


OTHER_CLINIC_ROUTES = [
    ("GET", "/workstation/sessions/{session}", None),
    ("POST", "/workstation/sessions/{session}/cancel", {}),
    ("POST", "/workstation/sessions/{session}/reschedule", {"day": next_july_day().isoformat(), "time": "10:00"}),
    ("POST", "/workstation/sessions/{started}/no-show", {}),
    ("POST", "/workstation/charges/{decision}", {"decision": "waived", "note": "Not yours"}),
    ("POST", "/workstation/settings/availability/time-off/{time_off}/delete", {}),
]


def test_another_clinics_ids_are_not_found(client, owner, clinic, theirs):
    before = other_state()
    for method, path, data in OTHER_CLINIC_ROUTES:
        url = path.format(**theirs)
        response = client.get(url) if method == "GET" else owner.post(url, data, page=SETTINGS_PAGE)
        assert response.status_code == 404, url
        assert "This page does not exist" in text(response) and "Elin Fjord" not in text(response), url
    assert other_state() == before


def test_another_clinics_sessions_and_charges_are_not_listed(client, owner, clinic, theirs):
    day = fresh(Appointment.get_by_id(theirs["session"])).starts_at.date()
    for page in (
        f"/workstation/sessions?day={day.isoformat()}",
        "/workstation/charges?status=all",
        "/workstation/charges.csv?status=all",
    ):
        assert "Elin Fjord" not in text(client.get(page)), page


def test_a_colleagues_time_off_is_theirs_to_remove(owner, clinic):
    colleague = add_professional(clinic, "ben@harbour.example")
    entry = TimeOff.create(professional=colleague, first_day=next_july_day(), last_day=next_july_day())
    response = owner.post(f"{AVAILABILITY}/time-off/{entry.id}/delete", page=AVAILABILITY)
    assert response.status_code == 404 and TimeOff.select().count() == 1


CSRF_POSTS = [
    ("/workstation/sessions/{session}/cancel", {}),
    ("/workstation/sessions/{session}/reschedule", {"day": next_july_day().isoformat(), "time": "10:00"}),
    ("/workstation/sessions/{started}/no-show", {}),
    ("/workstation/charges/{decision}", {"decision": "charged"}),
    ("/workstation/settings/availability/hours", {"works_0": "y", "opens_0": "09:00", "closes_0": "10:00"}),
    ("/workstation/settings/availability/time-off", {"first_day": "2030-01-01", "last_day": "2030-01-02"}),
    ("/workstation/settings/availability/time-off/{time_off}/delete", {}),
    ("/workstation/settings/availability/hub", {"hub_mode": "request"}),
    ("/workstation/settings/availability/policy", {"policy_hours": "72", "late_fee": "1", "currency": "USD"}),
]


def test_a_form_without_its_csrf_token_changes_nothing(client, owner, clinic):
    ids = {
        "session": make_session(clinic, 30).id,
        "started": make_session(clinic, -1).id,
        "time_off": TimeOff.create(
            professional=owner_of(clinic), first_day=next_july_day(), last_day=next_july_day()
        ).id,
    }
    appointments.mark_no_show(Appointment.get_by_id(ids["started"]), owner_of(clinic))
    ids["decision"] = ChargeDecision.get().id

    def everything():
        return (
            other_state(),
            [(h.professional_id, h.weekday, h.opens) for h in WorkingHours.select()],
            [p.hub_mode for p in Professional.select()],
        )

    before = everything()
    for path, data in CSRF_POSTS:
        response = client.post(path.format(**ids), data=data)
        assert response.status_code in (302, 422), path
    assert everything() == before


# --- The demo clinic ---------------------------------------------------------------------------------------


def test_the_demo_clinic_can_be_made_on_any_day_of_the_week(app, monkeypatch):
    """`make run` makes the demo whatever the weekday: its sample sessions, on working days, never clash
    (a Friday once put two of them on the same Monday morning)."""
    monkeypatch.setattr(clinics, "generate_password_hash", quick_hash)
    monday = next_july_day() - dt.timedelta(days=next_july_day().weekday())
    for offset in range(7):
        today = dt.datetime.combine(monday + dt.timedelta(days=offset), dt.time(12))
        monkeypatch.setattr(demo, "utcnow", lambda: today)
        clinic = demo.ensure_demo()
        sessions = list(Appointment.select().where(Appointment.clinic == clinic))
        assert sorted((s.channel, s.status) for s in sessions) == [
            ("hub", "booked"),
            ("request", "booked"),
            ("request", "cancelled"),
        ], today.strftime("%A")
        assert all(local(s.starts_at, clinic).weekday() < 5 for s in sessions)
        assert Hub.select().where(Hub.clinic == clinic).count() == 1
        clinic.delete_instance(recursive=True)

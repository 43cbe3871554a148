"""The Sessions page as a time grid: a table with a column per day (or per professional, in the day view
of everyone's calendar) and a row per hour, each professional in a colour, a month overview, and an
empty future hour that leads to booking it."""

import datetime as dt

from frontdesk.models import Professional

from tests.app.booking_fixtures import fresh, make_client, owner_of
from tests.app.test_booking_management_workstation import session_at
from tests.conftest import add_professional
from tests.pages import parse

from .conftest import next_july_day


def grid(response):
    assert response.status_code == 200
    return parse(response).find("table", class_="time-grid")


def cell(table, day, hour):
    return table.find("td", **{"data-day": day.isoformat(), "data-hour": str(hour)})


def test_the_week_is_a_table_of_days_and_hours(client, owner, clinic):
    day = next_july_day()
    monday = day - dt.timedelta(days=day.weekday())
    kept = session_at(clinic, day, 10)
    gone = session_at(clinic, day, 14, status="cancelled", client=make_client(clinic, "noor@example.com", "Noor"))
    table = grid(client.get(f"/workstation/sessions?day={day.isoformat()}"))
    days = table.find("thead").find_all("th", scope="col")
    assert [th["data-day"] for th in days] == [(monday + dt.timedelta(days=n)).isoformat() for n in range(7)]
    hours = [th.text for th in table.find_all("th", scope="row")]
    assert hours[0] == "8:00 AM" and "7:00 PM" in hours
    at_ten = cell(table, day, 10).find("a", class_="block")
    assert at_ten["href"] == f"/workstation/sessions/{kept.id}" and "Kim Lee" in at_ten.text
    struck = cell(table, day, 14).find("a", class_="block")
    assert struck["href"] == f"/workstation/sessions/{gone.id}"
    assert "block-cancelled" in struck.classes() and struck.text.endswith("Cancelled")
    assert cell(table, day, 14).find("a", class_="free") is not None, "a cancelled session's hour is free again"
    assert cell(table, day, 10).find("a", class_="free") is None


def test_an_early_session_adds_its_hour(client, owner, clinic):
    day = next_july_day()
    session_at(clinic, day, 6, 30)
    table = grid(client.get(f"/workstation/sessions?day={day.isoformat()}"))
    assert cell(table, day, 6).find("a", class_="block") is not None


def test_an_empty_hour_leads_to_booking_it_for_a_client(client, owner, clinic):
    day = next_july_day()
    make_client(clinic, "sam@example.com", "Sam Rivera")
    table = grid(client.get(f"/workstation/sessions?day={day.isoformat()}"))
    free = cell(table, day, 11).find("a", class_="free")
    assert "Book" in free.text and "11:00 AM" in free.text
    clients = parse(client.get(free["href"]))
    assert "Choose the client to book for" in clients.find("p", class_="notice").text
    sam = next(a for a in clients.find_all("a") if a.text == "Sam Rivera")
    form = parse(client.get(sam["href"])).find("form", class_="grid")
    assert form.find("input", name="day")["value"] == day.isoformat()
    assert form.find("input", name="time")["value"] == "11:00"
    options = form.find("select", name="professional").find_all("option")
    assert [o["value"] for o in options if "selected" in o.attrs] == [str(owner_of(clinic).id)]


def test_past_hours_offer_no_booking(client, owner, clinic):
    table = grid(client.get("/workstation/sessions?day=2020-01-06"))
    assert table.find("a", class_="free") is None


def test_everyone_side_by_side_in_the_day_view_each_in_a_colour(client, owner, clinic):
    ben = add_professional(clinic, "ben@harbour.example", name="Ben Okafor")
    day = next_july_day()
    mine = session_at(clinic, day, 10)
    his = session_at(clinic, day, 10, professional=ben, client=make_client(clinic, "noor@example.com", "Noor"))
    table = grid(client.get(f"/workstation/sessions?view=day&day={day.isoformat()}"))
    columns = [th.text for th in table.find("thead").find_all("th", scope="col")]
    assert columns == ["Ada Byrne", "Ben Okafor"]
    blocks = table.find_all("a", class_="block")
    colours = {b["href"]: [c for c in b.classes() if c.startswith("pro-")] for b in blocks}
    assert colours[f"/workstation/sessions/{mine.id}"] != colours[f"/workstation/sessions/{his.id}"]

    only_ben = grid(client.get(f"/workstation/sessions?view=day&day={day.isoformat()}&who={ben.id}"))
    hrefs = [b["href"] for b in only_ben.find_all("a", class_="block")]
    assert hrefs == [f"/workstation/sessions/{his.id}"]


def test_a_professional_sees_their_own_calendar_first_and_anothers_clinic_id_changes_nothing(
    app, clinic, other_clinic, staff
):
    ben = Professional.get(Professional.email == "ben@harbour.example")
    day = next_july_day()
    session_at(clinic, day, 10)  # the owner's
    his = session_at(clinic, day, 12, professional=ben, client=make_client(clinic, "noor@example.com", "Noor"))
    for who in ("", f"&who={owner_of(other_clinic).id}", "&who=abc"):
        table = grid(staff.client.get(f"/workstation/sessions?day={day.isoformat()}{who}"))
        assert [b["href"] for b in table.find_all("a", class_="block")] == [f"/workstation/sessions/{his.id}"], who


def test_the_month_counts_booked_sessions_per_day(client, owner, clinic):
    day = next_july_day()
    session_at(clinic, day, 10)
    session_at(clinic, day, 12, client=make_client(clinic, "noor@example.com", "Noor"))
    session_at(clinic, day, 14, status="cancelled", client=make_client(clinic, "eli@example.com", "Eli"))
    page = parse(client.get(f"/workstation/sessions?view=month&day={day.isoformat()}"))
    month = page.find("table", class_="month-grid")
    assert len(month.find("thead").find_all("th", scope="col")) == 7
    link = next(a for a in month.find_all("a") if a["href"].endswith(f"day={day.isoformat()}"))
    assert "2 sessions" in link.text
    assert fresh(clinic).name in page.find("title").text

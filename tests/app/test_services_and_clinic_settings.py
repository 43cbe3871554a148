"""Settings → Services (edit, retire, offer again) and Settings → Clinic (name, zone, country, currency, language,
date style, slot grid), each save checked against the version its form was read at, and Settings → Availability's
periods and online booking rules: what the owner sees and what every bad input changes (nothing)."""

import datetime as dt
import re

import pytest
from frontdesk import appointments, charges, clinic_settings
from frontdesk.models import Appointment, ChargeDecision, Clinic, Professional, Service, WorkingHours
from frontdesk.states import Actor

from tests.conftest import add_professional, snapshot

from .booking_fixtures import local_start, make_client, owner_of, service_of, work_every_day
from .conftest import request_path, text

SERVICES = "/workstation/settings/services"
CLINIC = "/workstation/settings/clinic"
AVAILABILITY = "/workstation/settings/availability"


def version_on(page):
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def service_form(owner, service, **changes):
    page = text(owner.client.get(f"{SERVICES}/{service.id}"))
    data = {
        "version": version_on(page),
        "name": service.name,
        "duration_minutes": str(service.duration_minutes),
        "price": "",
        "late_fee": "",
        "bookable_online": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def save_service(owner, service, data):
    return owner.post(f"{SERVICES}/{service.id}", data, page=f"{SERVICES}/{service.id}")


def clinic_form(owner, **changes):
    page = text(owner.client.get(CLINIC))
    clinic = Clinic.get()
    data = {
        "version": version_on(page),
        "name": clinic.name,
        "timezone": clinic.timezone,
        "country": clinic.country,
        "currency": clinic.currency,
        "default_language": clinic.default_language,
        "date_style": clinic.date_style,
        "slot_grid_minutes": str(clinic.slot_grid_minutes),
    }
    data.update(changes)
    return data


def save_clinic(owner, data):
    return owner.post(CLINIC, data, page=CLINIC)


# --- Services ---------------------------------------------------------------------------------------------------


def test_editing_a_service_changes_new_bookings_and_leaves_booked_sessions_as_booked(owner, clinic):
    service = service_of(clinic)
    owner_row = owner_of(clinic)
    work_every_day(owner_row)
    client = make_client(clinic)
    Service.update(price_cents=9000, late_fee_cents=4000).where(Service.id == service.id).execute()
    booked = appointments.book(
        clinic, owner_row, client, Service.get_by_id(service.id), local_start(clinic, 3, 10), 50, booked_by=owner_row
    )
    response = save_service(
        owner,
        service,
        service_form(owner, service, name="First session", duration_minutes="80", price="120", late_fee="60.50"),
    )
    assert response.status_code == 302
    assert "First session was saved." in text(owner.client.get(response.headers["Location"]))
    edited = Service.get_by_id(service.id)
    assert (edited.name, edited.duration_minutes, edited.price_cents, edited.late_fee_cents) == (
        "First session",
        80,
        12000,
        6050,
    )
    kept = Appointment.get_by_id(booked.id)
    assert (kept.duration_minutes, kept.price_cents, kept.late_fee_cents, kept.currency) == (50, 9000, 4000, "GBP")
    # A late cancellation of the booked session owes the fee it was booked with, not the new one.
    appointments.cancel(kept, Actor.CLIENT, now=kept.starts_at - dt.timedelta(hours=2))
    assert ChargeDecision.get().amount_cents == 4000 == charges.fee_cents(Appointment.get_by_id(booked.id))


def test_a_service_named_in_each_language_and_offered_by_one_professional(owner, clinic):
    Clinic.update(languages=["en", "de"]).where(Clinic.id == clinic.id).execute()
    ben = add_professional(clinic, "ben@harbour.example")
    service = service_of(clinic)
    data = service_form(owner, service, name_de="Erstgespräch", professionals=str(ben.id))
    assert save_service(owner, service, data).status_code == 302
    edited = Service.get_by_id(service.id)
    assert edited.name_translations == {"de": "Erstgespräch"}
    assert clinic_settings.offered_by(edited) == [ben.id]
    assert list(clinic_settings.bookable_services(Professional.get_by_id(ben.id))) == [edited]
    assert list(clinic_settings.bookable_services(owner_of(clinic))) == []


def test_a_service_not_bookable_online_leaves_the_booking_pages_but_not_the_request_form(owner, clinic, visitor):
    service = service_of(clinic)
    data = service_form(owner, service)
    del data["bookable_online"]
    assert save_service(owner, service, data).status_code == 302
    assert list(clinic_settings.bookable_services(owner_of(clinic))) == []
    assert service.name in text(visitor.open())
    assert "not bookable online" in text(owner.client.get(SERVICES))


def test_a_retired_service_is_kept_on_sessions_and_can_be_offered_again(owner, clinic, visitor):
    service = service_of(clinic)
    owner_row = owner_of(clinic)
    session = appointments.book(
        clinic, owner_row, make_client(clinic), service, local_start(clinic, 3, 10), 50, booked_by=owner_row
    )
    owner.post(f"{SERVICES}/{service.id}/archive", page=SERVICES)
    assert service.name not in text(visitor.open())
    assert list(clinic_settings.bookable_services(owner_of(clinic))) == []
    assert service.name in text(owner.client.get(f"/workstation/sessions/{session.id}"))
    response = owner.post(f"{SERVICES}/{service.id}/unretire", page=SERVICES)
    assert f"{service.name} is offered again." in text(owner.client.get(response.headers["Location"]))
    assert Service.get_by_id(service.id).active and service.name in text(visitor.open())


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": ""}, "Please fill in this field."),
        ({"duration_minutes": "0"}, "Please fill in this field."),
        ({"duration_minutes": "601"}, "Between 5 and 600 minutes."),
        ({"price": "-1"}, "Please enter an amount of 0 or more."),
        ({"late_fee": "-5"}, "Please enter an amount of 0 or more."),
        ({"name": "x" * 121}, "Please use at most 120 characters."),
    ],
)
def test_a_bad_service_edit_says_why_and_changes_nothing(owner, clinic, changes, message):
    service = service_of(clinic)
    data = service_form(owner, service, **changes)
    before = snapshot()
    response = save_service(owner, service, data)
    assert response.status_code == 422 and message in text(response)
    assert snapshot() == before


def test_a_stale_service_edit_changes_nothing_and_shows_the_current_service(app, owner, clinic):
    service = service_of(clinic)
    mine = service_form(owner, service, name="Mine")
    theirs = service_form(owner, service, name="Theirs")
    assert save_service(owner, service, theirs).status_code == 302
    before = snapshot()
    response = save_service(owner, service, mine)
    page = text(response)
    assert response.status_code == 409
    assert "Someone changed this service while you were editing it, so nothing was saved." in page
    assert 'value="Theirs"' in page and snapshot() == before
    # A form without its version, or with a mangled one, is as stale.
    for version in ("", "abc"):
        assert save_service(owner, service, dict(mine, version=version)).status_code == 409
    assert snapshot() == before


def test_a_service_edit_naming_another_clinics_professional_is_not_found(owner, clinic, other_clinic):
    service = service_of(clinic)
    data = service_form(owner, service, professionals=str(owner_of(other_clinic).id))
    before = snapshot()
    assert save_service(owner, service, data).status_code == 404
    data = service_form(owner, service, professionals="not-a-number")
    assert save_service(owner, service, data).status_code == 404
    assert snapshot() == before


# --- Clinic settings ---------------------------------------------------------------------------------------------


def test_the_owner_changes_the_clinics_details(owner, clinic):
    page = text(owner.client.get(CLINIC))
    assert "Working hours are wall-clock times" in page and "Sessions already booked keep their moment" in page
    data = clinic_form(
        owner,
        name="Fjara Counselling",
        timezone="Atlantic/Reykjavik",
        country="IS",
        currency="ISK",
        default_language="is",
        date_style="short",
        slot_grid_minutes="60",
    )
    response = save_clinic(owner, data)
    assert response.status_code == 302
    row = Clinic.get_by_id(clinic.id)
    assert (row.name, row.timezone, row.country, row.currency, row.default_language) == (
        "Fjara Counselling",
        "Atlantic/Reykjavik",
        "IS",
        "ISK",
        "is",
    )
    assert (row.date_style, row.slot_grid_minutes, row.settings_version) == ("short", 60, 2)


def test_changing_the_time_zone_keeps_sessions_at_their_instant_and_hours_on_the_wall_clock(owner, clinic):
    owner_row = owner_of(clinic)
    work_every_day(owner_row)
    session = appointments.book(
        clinic, owner_row, make_client(clinic), service_of(clinic), local_start(clinic, 3, 10), 50, booked_by=owner_row
    )
    assert save_clinic(owner, clinic_form(owner, timezone="America/New_York")).status_code == 302
    assert Appointment.get_by_id(session.id).starts_at == session.starts_at
    assert {(h.opens, h.closes) for h in WorkingHours.select()} == {(dt.time(9), dt.time(17))}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": ""}, "Please fill in this field."),
        ({"timezone": "Mars/Olympus"}, "Please choose a time zone from the list."),
        ({"timezone": "../../etc/passwd"}, "Please choose a time zone from the list."),
        ({"country": "XX"}, "Please choose a country from the list."),
        ({"currency": "ABC"}, "Please choose a currency from the list."),
        ({"default_language": "tlh"}, "Please choose a language from the list."),
        ({"date_style": "fancy"}, "Please choose one of the options."),
        ({"slot_grid_minutes": "7"}, "Please choose one of the options."),
        ({"slot_grid_minutes": "often"}, "Please choose one of the options."),
    ],
)
def test_a_bad_clinic_setting_says_why_and_changes_nothing(owner, clinic, changes, message):
    data = clinic_form(owner, **changes)
    before = snapshot()
    response = save_clinic(owner, data)
    assert response.status_code == 422 and message in text(response)
    assert snapshot() == before


def test_a_stale_clinic_save_changes_nothing_and_shows_the_current_settings(owner, clinic):
    mine = clinic_form(owner, name="Mine")
    assert save_clinic(owner, clinic_form(owner, name="Theirs")).status_code == 302
    before = snapshot()
    response = save_clinic(owner, mine)
    assert response.status_code == 409
    page = text(response)
    assert "Someone changed these settings while you were editing them, so nothing was saved." in page
    assert 'value="Theirs"' in page and snapshot() == before


def test_a_currency_saved_with_the_policy_makes_an_open_clinic_form_stale(owner, clinic):
    mine = clinic_form(owner, name="Mine")
    owner.post(f"{AVAILABILITY}/policy", {"policy_hours": "24", "late_fee": "10", "currency": "EUR"}, page=AVAILABILITY)
    assert save_clinic(owner, mine).status_code == 409
    assert Clinic.get_by_id(clinic.id).currency == "EUR"


def test_a_phone_number_is_read_in_the_clinics_country(owner, clinic, visitor):
    clinic_settings.save_requirements(Clinic.get_by_id(clinic.id), {"phone": "required"})
    assert save_clinic(owner, clinic_form(owner, country="IS")).status_code == 302
    response = visitor.send(phone="555 1234")
    assert response.status_code == 200, text(response)
    from frontdesk.models import Client

    assert Client.get(Client.email == "sam@example.com").phone == "+3545551234"


def test_the_workstation_writes_dates_in_the_clinics_country_and_style(owner, clinic):
    owner_row, client = owner_of(clinic), make_client(clinic)
    start = local_start(clinic, 3, 18, 4)
    appointments.book(clinic, owner_row, client, service_of(clinic), start, 50, booked_by=owner_row)
    day = local_start(clinic, 3, 12).date()
    client_page = f"/workstation/clients/{client.id}"
    assert save_clinic(owner, clinic_form(owner, date_style="short")).status_code == 302
    page = text(owner.client.get(client_page))
    assert f"{day.day:02d}/{day.month:02d}/{day.year}, 18:04" in page and " PM" not in page
    assert save_clinic(owner, clinic_form(owner, country="US")).status_code == 302
    page = text(owner.client.get(client_page))
    assert f"{day.month}/{day.day}/{day.year % 100}, 6:04\u202fPM" in page


def test_only_the_owner_changes_services_and_the_clinic(staff, clinic):
    service = service_of(clinic)
    assert "Only the clinic's owner can change these settings." in text(staff.client.get(CLINIC))
    before = snapshot()
    for path, data in (
        (CLINIC, {"name": "Staff clinic", "version": "1"}),
        (f"{SERVICES}/{service.id}", {"name": "Staff service", "duration_minutes": "50", "version": "1"}),
        (f"{SERVICES}/{service.id}/unretire", {}),
    ):
        assert staff.post(path, data, page=CLINIC).status_code == 403, path
    assert snapshot() == before


# --- Availability: periods and booking rules ---------------------------------------------------------------------


def hours(**days):
    """{"d0": [("09:00", "12:00"), ("13:00", "17:00")]} as the weekly hours form posts it."""
    data = {}
    for day, periods in days.items():
        number = int(day[1:])
        data[f"works_{number}"] = "y"
        for index, (opens, closes) in enumerate(periods):
            suffix = "" if index == 0 else f"_{index}"
            data.update({f"opens_{number}{suffix}": opens, f"closes_{number}{suffix}": closes})
    return data


def test_a_day_with_a_lunch_break_is_saved_as_two_periods(owner, clinic):
    response = owner.post(
        f"{AVAILABILITY}/hours", hours(d0=[("09:00", "12:00"), ("13:00", "17:00")]), page=AVAILABILITY
    )
    assert response.status_code == 302
    assert sorted((h.weekday, h.opens, h.closes) for h in WorkingHours.select()) == [
        (0, dt.time(9), dt.time(12)),
        (0, dt.time(13), dt.time(17)),
    ]
    page = text(owner.client.get(AVAILABILITY))
    assert 'value="13:00"' in page and 'value="12:00"' in page


@pytest.mark.parametrize(
    "data, message",
    [
        (hours(d1=[("09:00", "13:00"), ("12:00", "17:00")]), "These periods overlap"),
        (hours(d1=[("09:00", "12:00"), ("17:00", "13:00")]), "The end must be after the start."),
        (hours(d1=[("09:00", "12:00"), ("13:00", "")]), "Please give both times"),
    ],
)
def test_bad_working_periods_say_why_and_change_nothing(owner, clinic, data, message):
    work_every_day(owner_of(clinic))
    before = snapshot()
    response = owner.post(f"{AVAILABILITY}/hours", data, page=AVAILABILITY)
    assert response.status_code == 422 and message in text(response)
    assert snapshot() == before


def test_the_online_booking_rules_are_saved(owner, clinic):
    data = {"buffer_minutes": "15", "notice_hours": "24", "horizon_days": "60"}
    response = owner.post(f"{AVAILABILITY}/booking-rules", data, page=AVAILABILITY)
    assert response.status_code == 302
    row = Professional.get_by_id(owner_of(clinic).id)
    assert (row.buffer_minutes, row.notice_minutes, row.horizon_days) == (15, 24 * 60, 60)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"buffer_minutes": "-5"}, "Between 0 and 240 minutes."),
        ({"buffer_minutes": "241"}, "Between 0 and 240 minutes."),
        ({"notice_hours": "-1"}, "Between 0 and 2160 hours (90 days)."),
        ({"horizon_days": "0"}, "Between 1 and 730 days."),
        ({"horizon_days": ""}, "Please fill in this field."),
    ],
)
def test_bad_online_booking_rules_say_why_and_change_nothing(owner, clinic, changes, message):
    data = dict({"buffer_minutes": "0", "notice_hours": "1", "horizon_days": "365"}, **changes)
    before = snapshot()
    response = owner.post(f"{AVAILABILITY}/booking-rules", data, page=AVAILABILITY)
    assert response.status_code == 422 and message in text(response)
    assert snapshot() == before


def test_the_request_link_still_works_after_the_clinic_is_renamed(owner, clinic, visitor):
    assert save_clinic(owner, clinic_form(owner, name="Renamed Counselling")).status_code == 302
    assert "Renamed Counselling" in text(visitor.open(request_path(clinic)))


def test_a_settings_form_from_an_expired_page_changes_nothing_and_says_so(client, owner, clinic):
    service = service_of(clinic)
    before = snapshot()
    for path, data, page in (
        (CLINIC, clinic_form(owner, name="Expired"), CLINIC),
        (f"{SERVICES}/{service.id}", service_form(owner, service, name="Expired"), f"{SERVICES}/{service.id}"),
        (f"{AVAILABILITY}/booking-rules", {"buffer_minutes": "5", "notice_hours": "1", "horizon_days": "9"}, None),
        (f"{SERVICES}/{service.id}/unretire", {}, SERVICES),
    ):
        response = client.post(path, data=data, headers={"Referer": page or AVAILABILITY})
        assert response.status_code == 302, path
        assert "This page had expired, so nothing was changed." in text(client.get(response.headers["Location"]))
    assert snapshot() == before

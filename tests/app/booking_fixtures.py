"""Scenes for the booking-management tests (issue 3): professionals with working hours, a Wellbeing
Hub, clients with sessions of every channel at a chosen distance from now, and the signed links a
client holds. tests/conftest.py loads this module as a plugin, so its fixtures (`hub`) reach every test
without being imported by name.

Sessions are written straight into the database (no emails, and they may lie in the past), so each
test starts from exactly the state it names; the actions under test then go through the pages.
"""

import datetime as dt

import pytest
from flask import current_app
from frontdesk import appointments, booking, hubs, links, urls
from frontdesk.models import Appointment, Client, Hub, Professional, Service, WorkingHours, utcnow
from frontdesk.states import HubMode

from tests.conftest import add_professional
from tests.pages import slot_starts

from .conftest import local_today, path_of


def owner_of(clinic):
    return Professional.get(Professional.clinic == clinic, Professional.role == "owner")


def service_of(clinic):
    return Service.select().where(Service.clinic == clinic).order_by(Service.id).first()


def work_every_day(professional, opens=9, closes=17):
    """Working hours on all seven days, so a slot is never more than a day away."""
    WorkingHours.delete().where(WorkingHours.professional == professional).execute()
    for weekday in range(7):
        WorkingHours.create(professional=professional, weekday=weekday, opens=dt.time(opens), closes=dt.time(closes))


def make_client(clinic, email="kim@example.com", name="Kim Lee"):
    return Client.create(clinic=clinic, email=email, name=name, status="active", language="en")


def hours_from_now(hours):
    """A naive UTC moment `hours` from now, on the minute."""
    return (utcnow() + dt.timedelta(hours=hours)).replace(second=0, microsecond=0)


def make_session(
    clinic, hours_ahead, channel="hub", client=None, professional=None, service=None, hub=None, minutes=50, **fields
):
    """A booked session starting `hours_ahead` from now (negative: it has started or ended)."""
    start = hours_from_now(hours_ahead)
    if channel == "hub" and hub is None:
        hub = Hub.get_or_none(Hub.clinic == clinic) or Hub.create(clinic=clinic, name="Acme Wellbeing")
    return Appointment.create(
        clinic=clinic,
        professional=professional or owner_of(clinic),
        client=client or Client.get_or_none(Client.clinic == clinic) or make_client(clinic),
        service=service or service_of(clinic),
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        channel=channel,
        hub=hub if channel == "hub" else None,
        **fields,
    )


def someone_else_books(clinic, start):
    """Another client takes `start` through the app (booked by the professional, with its emails)."""
    owner = owner_of(clinic)
    other = make_client(clinic, "noor@example.com", "Noor")
    return appointments.book(clinic, owner, other, service_of(clinic), start, 50, booked_by=owner)


def local_start(clinic, days, hour, minute=0):
    """The UTC start of a local wall-clock time `days` from today."""
    return booking.local_to_utc(local_today(clinic) + dt.timedelta(days=days), dt.time(hour, minute), clinic.timezone)


def fresh(row):
    return type(row).get_by_id(row.id)


def keys():
    return current_app.config["SECRET_KEYS"]


def manage_path(appointment, suffix=""):
    return path_of(urls.manage_link(fresh(appointment))) + suffix


def manage_token(appointment):
    return links.manage_token(keys(), fresh(appointment))


def dashboard_path(client):
    return path_of(urls.dashboard_link(fresh(client)))


def booking_path(professional):
    return path_of(urls.booking_link(fresh(professional)))


def hub_path(hub):
    return path_of(urls.hub_link(fresh(hub)))


def slots(response):
    """The UTC starts a page offers as slot buttons, in page order."""
    return [dt.datetime.fromisoformat(value) for value in slot_starts(response)]


def local(moment, clinic):
    return booking.utc_to_local(moment, clinic.timezone)


@pytest.fixture
def hub(clinic):
    """A Wellbeing Hub run by the clinic: the owner shows a calendar, Rowan Ellis takes requests only.
    Both work every day from 09:00 to 17:00."""
    owner = owner_of(clinic)
    rowan = add_professional(clinic, "rowan@harbour.example", name="Rowan Ellis")
    hub = hubs.create_hub(clinic, "Northwind Employee Wellbeing")
    hubs.add_member(hub, owner, HubMode.CALENDAR)
    hubs.add_member(hub, rowan, HubMode.REQUESTS_ONLY)
    work_every_day(owner)
    work_every_day(rowan)
    return hub

"""No one fills a calendar or uses the clinic as a mail relay (issue 12): one email holds a few upcoming
self-booked sessions, one network and one link book a few a day, counted in the rate-limit storage (shared
through Redis between processes), and each refusal says why and changes nothing."""

import os
import uuid

import pytest
from frontdesk.limits import SelfBookings, network_of
from frontdesk.models import Appointment

from tests.app.booking_fixtures import booking_path, hub_path, owner_of
from tests.app.conftest import text
from tests.app.test_booking_management_pages import book, open_details
from tests.conftest import outbox, snapshot

TOO_MANY_UPCOMING = "You already have as many upcoming sessions booked online as this clinic allows."
TOO_MANY_FROM_HERE = "Too many sessions were booked from here today, so this one was not."


def book_as(client, calendar, clinic, email, pick):
    _, path, page = open_details(client, calendar, clinic, pick=pick)
    return book(client, path, page, name="Kim Lee", email=email)


def test_one_email_holds_only_a_few_upcoming_sessions(app, client, clinic, hub):
    app.config["SELF_BOOKED_UPCOMING_PER_EMAIL"] = 2
    calendar = booking_path(owner_of(clinic))
    for pick in range(2):
        assert book_as(client, calendar, clinic, "kim@example.com", pick).status_code == 200
    before, emails = snapshot(), len(outbox())
    refused = book_as(client, calendar, clinic, "KIM@example.com", 2)
    assert refused.status_code == 429 and TOO_MANY_UPCOMING in text(refused)
    assert snapshot() == before and len(outbox()) == emails, "nothing booked, no email sent"
    assert book_as(client, calendar, clinic, "noor@example.com", 2).status_code == 200


def test_one_network_books_only_a_few_a_day(app, clinic, hub):
    app.config.update(RATELIMIT_ENABLED=True, SELF_BOOKINGS_PER_NETWORK="2 per day")
    calendar = booking_path(owner_of(clinic))
    home = app.test_client()
    for n in range(2):
        assert book_as(home, calendar, clinic, f"throwaway{n}@example.com", n).status_code == 200
    before = snapshot()
    refused = book_as(home, calendar, clinic, "throwaway9@example.com", 2)
    assert refused.status_code == 429 and TOO_MANY_FROM_HERE in text(refused)
    assert snapshot() == before
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    assert book_as(elsewhere, calendar, clinic, "someone@example.com", 2).status_code == 200
    assert Appointment.select().count() == 3


def test_one_link_books_only_its_allowance_a_day(app, clinic, hub):
    app.config.update(RATELIMIT_ENABLED=True, SELF_BOOKINGS_PER_LINK="2 per day")
    calendar = booking_path(owner_of(clinic))
    for n in range(2):
        visitor = app.test_client()
        visitor.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        assert book_as(visitor, calendar, clinic, f"person{n}@example.com", n).status_code == 200
    visitor = app.test_client()
    visitor.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    refused = book_as(visitor, calendar, clinic, "person9@example.com", 2)
    assert refused.status_code == 429 and TOO_MANY_FROM_HERE in text(refused)
    hub_calendar = hub_path(hub) + f"/p/{owner_of(clinic).id}"
    assert book_as(visitor, hub_calendar, clinic, "person9@example.com", 2).status_code == 200


@pytest.mark.parametrize(
    "address, network",
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
    ],
)
def test_a_network_is_an_ipv4_address_or_an_ipv6_64(address, network):
    assert network_of(address) == network


def test_two_processes_count_self_bookings_together_through_redis(app):
    """Two app processes' counters are one in Redis: what one counted, the other sees."""
    url = os.environ.get("FRONTDESK_TEST_REDIS_URL")
    if not url:
        pytest.skip("FRONTDESK_TEST_REDIS_URL is not set")
    app.config.update(RATELIMIT_ENABLED=True, SELF_BOOKINGS_PER_NETWORK="2 per day")
    link = f"test-link-{uuid.uuid4().hex}"
    first, second = SelfBookings(url), SelfBookings(url)
    with app.test_request_context(environ_base={"REMOTE_ADDR": f"192.0.2.{uuid.uuid4().int % 250 + 1}"}):
        first.count(link)
        second.count(link)
        assert not first.allowed(link) and not second.allowed(link)

"""The workstation's long lists come a page at a time: the waitlist and the clients list show 50 rows
with Previous and Next links, while the counts still cover the whole list."""

import datetime
import re

import pytest
from frontdesk.models import Client, Hub, Request, Service, utcnow
from frontdesk.web import PAGE_SIZE

from tests.conftest import add_professional
from tests.pages import link, link_names, texts

from .conftest import text


def add_requests(clinic, count, start=0, hub=None, professional=None):
    """`count` waiting requests, one a minute, the highest number the newest; returns their names. With a hub
    and a professional, they are requests to that hub member."""
    service = Service.select().where(Service.clinic == clinic).first()
    now = utcnow()
    names = []
    for n in range(start, start + count):
        name = f"Person {n:03d}"
        client = Client.create(clinic=clinic, email=f"person{n}@example.com", name=name)
        Request.create(
            clinic=clinic,
            client=client,
            service=service if n % 2 else None,
            hub=hub,
            professional=professional,
            created_at=now - datetime.timedelta(minutes=10_000 - n),
        )
        names.append(name)
    return names


def add_clients(clinic, count):
    for n in range(count):
        Client.create(clinic=clinic, email=f"client{n}@example.com", name=f"Client {n:03d}", status="active")
    return [f"Client {n:03d}" for n in range(count)]


def names_on(page):
    return re.findall(r">((?:Person|Client) \d{3})<", page)


def test_a_long_waitlist_shows_the_newest_page_first_and_counts_them_all(client, owner, clinic):
    names = add_requests(clinic, PAGE_SIZE + 5)
    page = text(client.get("/workstation/requests"))
    assert f"{PAGE_SIZE + 5} requests are waiting." in page
    assert str(PAGE_SIZE + 5) in texts(page, class_="badge")
    assert names_on(page) == names[::-1][:PAGE_SIZE]
    assert texts(page, "nav", aria_label="Pages")
    assert link(page, "Next page") == "/workstation/requests?page=2"
    assert "Previous page" not in link_names(page)
    assert texts(page, "span", aria_current="page") == ["Page 1"]


def test_the_next_page_of_the_waitlist_holds_the_rest(client, owner, clinic):
    names = add_requests(clinic, PAGE_SIZE + 5)
    page = text(client.get("/workstation/requests?page=2"))
    assert names_on(page) == names[::-1][PAGE_SIZE:]
    assert link(page, "Previous page") == "/workstation/requests?page=1"
    assert "Next page" not in link_names(page)
    assert f"{PAGE_SIZE + 5} requests are waiting." in page


def test_a_short_list_has_no_page_links(client, owner, clinic):
    add_requests(clinic, 3)
    add_clients(clinic, 3)
    for path in ("/workstation/requests", "/workstation/clients"):
        page = text(client.get(path))
        assert not texts(page, "nav", aria_label="Pages") and "Page 1" not in page


def test_the_clients_list_pages_in_name_order(client, owner, clinic):
    names = add_clients(clinic, PAGE_SIZE * 2 + 1)
    first = text(client.get("/workstation/clients"))
    assert names_on(first) == names[:PAGE_SIZE]
    assert link(first, "Next page") == "/workstation/clients?page=2"
    second = text(client.get("/workstation/clients?page=2"))
    assert names_on(second) == names[PAGE_SIZE : PAGE_SIZE * 2]
    assert 'rel="prev"' in second and 'rel="next"' in second
    last = text(client.get("/workstation/clients?page=3"))
    assert names_on(last) == names[PAGE_SIZE * 2 :]
    assert 'rel="next"' not in last


def test_the_clients_list_shows_only_active_clients_of_this_clinic(client, owner, clinic, other_clinic):
    add_clients(other_clinic, 3)
    Client.create(clinic=clinic, email="waiting@example.com", name="Person 999")
    Client.create(clinic=clinic, email="active@example.com", name="Client 500", status="active")
    assert names_on(text(client.get("/workstation/clients"))) == ["Client 500"]


@pytest.mark.parametrize("asked", ["0", "-3", "two", ""])
def test_a_page_number_that_is_not_one_shows_the_first_page(client, owner, clinic, asked):
    names = add_requests(clinic, 2)
    response = client.get(f"/workstation/requests?page={asked}")
    assert response.status_code == 200
    assert names_on(text(response)) == names[::-1]


@pytest.mark.parametrize("asked", ["9", str(10**30)])
def test_a_page_past_the_end_links_back_to_the_first(client, owner, clinic, asked):
    add_requests(clinic, 2)
    add_clients(clinic, 2)
    for path in ("/workstation/requests", "/workstation/clients"):
        response = client.get(f"{path}?page={asked}")
        page = text(response)
        assert response.status_code == 200
        assert names_on(page) == []
        assert link(page, "Page 1") == path


def test_a_page_of_the_waitlist_takes_a_fixed_number_of_queries(app, client, owner, clinic):
    """Each row's client, service, and a hub request's professional and hub come with the page's own query,
    not one query per row."""
    from frontdesk.db import database

    add_requests(clinic, 10)
    executed = []
    real = database.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        executed.append(sql)
        return real(sql, params, *args, **kwargs)

    database.obj.execute_sql = counting
    try:
        client.get("/workstation/requests")
        few = len(executed)
        hub = Hub.create(clinic=clinic, name="Northwind Employee Wellbeing")
        add_requests(clinic, 30, start=10, hub=hub, professional=add_professional(clinic, "rowan@harbour.example"))
        executed.clear()
        client.get("/workstation/requests")
    finally:
        del database.obj.execute_sql
    assert len(executed) == few


def test_a_request_without_a_service_says_not_sure_yet(client, owner, clinic):
    add_requests(clinic, 1)  # Person 000: even, so no service
    page = text(client.get("/workstation/requests"))
    assert "Not sure yet" in page

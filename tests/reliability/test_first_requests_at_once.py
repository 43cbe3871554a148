"""One person sends the request form from two tabs at once, before the clinic knows them: both requests
are kept, on the one client account the unique index allows, and neither fails (on PostgreSQL the
second insert of the client does nothing and reads the first one's row; on SQLite the write lock
orders them)."""

from frontdesk import waitlist
from frontdesk.models import Client, Request

from .races import race

TABS = 4


def test_first_requests_from_one_address_at_once_make_one_client(app, clinic):
    outcomes = race(
        app,
        *[
            lambda n=n: waitlist.submit_request(clinic, f"tab-{n}", "Sam Reed", " Sam@Example.com", "en")
            for n in range(TABS)
        ],
    )
    assert outcomes == ["done"] * TABS
    sam = Client.get(Client.clinic == clinic, Client.email == "sam@example.com")
    assert Client.select().where(Client.clinic == clinic).count() == 1
    assert [request.client_id for request in Request.select()] == [sam.id] * TABS

"""The statements built once (server/db.py): a compiled SELECT answers each call's own arguments, a compiled
INSERT writes what peewee's would, and an id taken ahead is the one the row gets. On both databases."""

import datetime as dt

import pytest
from frontdesk import db
from frontdesk.models import Client, OutboxMessage, UsedFormToken

from tests.app.booking_fixtures import make_client

BY_EMAIL = db.CompiledQuery(
    lambda clinic, email: Client.select().where(Client.clinic == clinic, Client.email == email).order_by(Client.id)
)
SINCE = db.CompiledQuery(
    lambda clinic, since: (
        Client.select(Client.email)
        .where(Client.clinic == clinic, Client.created_at >= since)
        .order_by(Client.email)
        .tuples()
    )
)


def test_a_compiled_select_answers_each_calls_arguments(clinic):
    kim = make_client(clinic, "kim@example.com", "Kim Lee")
    sam = make_client(clinic, "sam@example.com", "Sam Rivera")
    assert BY_EMAIL.first(clinic.id, "kim@example.com").name == "Kim Lee"
    # The second call runs the SQL built by the first, with its own values.
    assert BY_EMAIL.first(clinic.id, "sam@example.com").id == sam.id
    assert BY_EMAIL.first(clinic.id + 1, "kim@example.com") is None
    assert [c.id for c in BY_EMAIL.all(clinic.id, "kim@example.com")] == [kim.id]
    assert BY_EMAIL.all(clinic.id, "nobody@example.com") == []

    long_ago = dt.datetime(2000, 1, 1)
    assert SINCE.all(clinic.id, long_ago) == [("kim@example.com",), ("sam@example.com",)]
    assert SINCE.all(clinic.id, dt.datetime(2999, 1, 1)) == []


def test_create_fills_defaults_and_sets_the_id_as_peewees_would(clinic):
    made = Client.create(clinic=clinic, email="kim@example.com", name="Kim Lee")
    read = Client.get_by_id(made.id)
    assert (read.email, read.status, read.dashboard_nonce) == ("kim@example.com", made.status, made.dashboard_nonce)
    assert made.dashboard_nonce and made.created_at is not None
    assert not made.is_dirty()

    token = UsedFormToken.create(nonce="abc")  # a key that is not an id is kept as given
    assert UsedFormToken.get_by_id("abc").used_at == token.used_at


def test_insert_writes_several_rows_and_refuses_rows_naming_other_fields(clinic):
    rows = [
        OutboxMessage(
            message_id=f"<{n}@test>", to_address=f"{n}@example.com", subject="s", text_body="t", html_body="h"
        )
        for n in range(3)
    ]
    db.insert(OutboxMessage, [row.__data__ for row in rows])
    assert sorted(m.to_address for m in OutboxMessage.select()) == ["0@example.com", "1@example.com", "2@example.com"]
    with pytest.raises(ValueError):
        db.insert(OutboxMessage, [rows[0].__data__, dict(rows[1].__data__, ics="BEGIN:VCALENDAR")])
    assert OutboxMessage.select().count() == 3


def test_an_id_taken_ahead_is_the_one_the_row_gets(clinic):
    make_client(clinic)
    with db.database.atomic():
        ahead = db.next_id(Client)
        row = Client(id=ahead, clinic=clinic, email="sam@example.com", name="Sam Rivera")
        row.insert_new()
    assert Client.get(Client.email == "sam@example.com").id == ahead
    assert Client.create(clinic=clinic, email="ali@example.com", name="Ali").id > ahead

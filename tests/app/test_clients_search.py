"""The clients search finds the same clients whichever way it reads them: through the trigram index of
migration 0022 (PostgreSQL's pg_trgm, SQLite's FTS5 table), by the name index for a common text, or with no
such index at all; and the index follows every change to a client."""

import datetime
import importlib.util
import logging
import pathlib

import peewee
import pytest
from frontdesk import clients, db, privacy
from frontdesk.models import Client, Request, utcnow
from frontdesk.states import ClientStatus

from tests.app.booking_fixtures import make_client, owner_of

MIGRATION = pathlib.Path(clients.__file__).parent / "migrations" / "0022_client_search.py"

# (typed, archived ones instead, the names found in order)
SEARCHES = [
    ("NOOR", False, ["Noor Haddad"]),  # any case of an ASCII letter
    ("oor hadd", False, ["Noor Haddad"]),  # inside a name, across the space
    ("BERG.EXAMPLE", False, ["Jonas Berg"]),  # inside an email, typed in capitals
    ("07700 900123", False, ["Noor Haddad"]),  # a phone number's digits, typed with its trunk 0 and a space
    ("900 12", False, ["Noor Haddad"]),
    ("zoë", False, ["Zoë Martin"]),
    ("ë ma", False, ["Zoë Martin"]),
    ("Zoe", False, []),  # an accent is not dropped
    ("حداد", False, ["نور حداد"]),  # Arabic
    ("example", False, ["Jonas Berg", "Noor Haddad", "Zoë Martin", "نور حداد"]),  # in name order
    ("sam", False, []),  # archived: only in the archive
    ("sam", True, ["Sam Rivera"]),
    ("rivera", True, ["Sam Rivera"]),
    ("waiting", False, []),  # on the waitlist: not a client yet
    ("other", False, []),  # another clinic's client is never found
    ("100%", False, []),  # `%` and `_` are the characters typed, not LIKE's wildcards
    ("jonas_berg", False, []),
    ("jo", False, ["Jonas Berg"]),  # shorter than a trigram
    ("", False, ["Jonas Berg", "Noor Haddad", "Zoë Martin", "نور حداد"]),
]


@pytest.fixture
def people(clinic, other_clinic):
    clients.add_client(clinic, name="Noor Haddad", email="noor@example.com", phone="+447700900123")
    clients.add_client(clinic, name="Jonas Berg", email="jonas@berg.example", phone="")
    clients.add_client(clinic, name="Zoë Martin", email="zm@example.com", phone="")
    clients.add_client(clinic, name="نور حداد", email="nour@example.com", phone="")
    sam, _ = clients.add_client(clinic, name="Sam Rivera", email="sam@example.com", phone="")
    clients.set_archived(sam, True)
    Client.create(clinic=clinic, email="waiting@example.com", name="Waiting Person", status="waitlist")
    make_client(other_clinic, email="other@example.com", name="Noor Other")
    return clinic


def found(clinic, typed, archived=False):
    return [c.name for c in clients.search(clinic, typed, archived)]


def assert_every_search(clinic):
    assert [(typed, archived, found(clinic, typed, archived)) for typed, archived, _ in SEARCHES] == SEARCHES


def load_migration():
    spec = importlib.util.spec_from_file_location("client_search_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_search_finds_by_name_email_or_phone_digits_within_the_clinics_active_or_archived_clients(people):
    assert_every_search(people)


def test_a_common_text_read_by_the_name_index_finds_the_same(people, monkeypatch):
    monkeypatch.setattr(clients, "FEW_CANDIDATES", 1)
    assert_every_search(people)


def test_sqlite_reads_a_rare_text_through_its_trigram_table(people, sent_sql):
    if db.is_postgres():
        pytest.skip("PostgreSQL's planner chooses the trigram index by itself")
    queries = sent_sql()
    assert found(people, "haddad") == ["Noor Haddad"]
    assert any("client_search MATCH" in sql for sql in queries)


def test_the_index_follows_each_change_to_a_client(people):
    noor = Client.get(Client.name == "Noor Haddad")
    clients.update_client(noor, name="Noor Saleh", email="noor.saleh@example.com", phone="+447700900999")
    assert found(people, "saleh") == ["Noor Saleh"] and found(people, "900999") == ["Noor Saleh"]
    assert found(people, "haddad") == [] and found(people, "900123") == []
    Client.delete().where(Client.id == noor.id).execute()
    assert found(people, "saleh") == []
    if not db.is_postgres():
        db.database.execute_sql("INSERT INTO client_search (client_search) VALUES ('integrity-check')")


def test_without_the_index_the_search_reads_the_clinics_clients_and_finds_the_same(people, caplog, monkeypatch):
    """As on a PostgreSQL where pg_trgm cannot be made: the migration leaves the index out, saying why."""
    migration = load_migration()
    migration.down(None, db.database.obj)
    real = db.database.obj.execute_sql

    def refusing(sql, *args, **kwargs):
        if sql.startswith(("CREATE EXTENSION", "CREATE VIRTUAL TABLE")):
            raise peewee.ProgrammingError("permission denied")
        return real(sql, *args, **kwargs)

    try:
        monkeypatch.setattr(db.database.obj, "execute_sql", refusing)
        with caplog.at_level(logging.WARNING):
            migration.up(None, db.database.obj)
        monkeypatch.undo()
        assert "The clients search stays a scan" in caplog.text
        assert not db.database.table_exists("client_search")
        assert migration.POSTGRES_INDEX not in [index.name for index in db.database.get_indexes("client")]
        assert_every_search(people)
    finally:
        monkeypatch.undo()
        if db.is_postgres():  # its schema outlives the test
            migration.up(None, db.database.obj)


WRITTEN = "qxzvwqpl jkbd"


def search_index_with(clinic, **request):
    """A client named WRITTEN among 2,000 others in one large part of SQLite's trigram index (as years of clients
    make), a few more after it, and a function listing which of the name's trigrams the index's file still holds.
    With `request`, the client's request with those fields."""
    if db.is_postgres():
        pytest.skip("PostgreSQL's index forgets a row's old versions when the table is vacuumed")
    with db.database.atomic():
        client = make_client(clinic, email="qxzvwqpl@example.com", name=WRITTEN.title())
        if request:  # someone who only ever asked
            Client.update(status=ClientStatus.WAITLIST).where(Client.id == client.id).execute()
            Request.create(clinic=clinic, client=client, **request)
        for n in range(2000):
            make_client(clinic, email=f"person{n}@example.com", name=f"Person {n}")
    for n in range(10):
        make_client(clinic, email=f"later{n}@example.com", name=f"Later {n}")
    trigrams = {WRITTEN[i : i + 3].encode() for i in range(len(WRITTEN) - 2)}

    def kept():
        blocks = b"".join(row[0] for row in db.database.execute_sql("SELECT block FROM client_search_data"))
        return sorted(trigram for trigram in trigrams if trigram in blocks)

    assert kept(), "the name is in the index before"
    return client, kept


def test_an_erased_client_leaves_nothing_of_their_name_in_sqlites_search_table(clinic):
    """Deleting from SQLite's trigram table only marks a client's trigrams gone, and the older parts of the index
    keep them until merged: erasure rewrites the table, so the name can no longer be read from the file."""
    erased, kept = search_index_with(clinic)
    privacy.erase(Client.get_by_id(erased.id), owner_of(clinic))
    assert kept() == []
    assert found(clinic, "qxzvwqpl") == []


def test_a_client_the_retention_purge_deletes_leaves_nothing_in_sqlites_search_table(clinic):
    long_ago = utcnow() - datetime.timedelta(days=400)
    _, kept = search_index_with(clinic, status="declined", decided_at=long_ago)
    assert privacy.purge()[1] == 1
    assert kept() == []

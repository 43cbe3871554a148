"""Scale (issue 15): the clients search looks for the typed text anywhere in a name, an email or a phone
number (`LIKE '%…%'`), which no B-tree index serves: it read every client of the clinic (170 to 270 ms at
100,000). A trigram index finds the few candidates instead.

PostgreSQL: a GIN index with `pg_trgm`'s operators, which serves `ILIKE '%…%'` as it is written. pg_trgm is a
trusted extension (PostgreSQL 13+): the database's owner may create it. Where it cannot be created (an older
server, no CREATE right, the contrib package missing) the index is left out and the search reads the clinic's
clients as before; the migration says so in the log.

SQLite: an FTS5 table with the `trigram` tokenizer (SQLite 3.34+) over the same three columns, its content read
from `client` and kept in step by triggers. `clients.search` narrows to its matches and keeps its own `LIKE`
conditions, so the results stay exactly those of the scan. Without FTS5 or the tokenizer, nothing is made.
"""

import logging

import peewee

log = logging.getLogger(__name__)

POSTGRES_INDEX = "client_search_trigram"
SQLITE_TABLE = "client_search"

SQLITE_TRIGGERS = (
    """CREATE TRIGGER client_search_insert AFTER INSERT ON client BEGIN
        INSERT INTO client_search (rowid, name, email, phone) VALUES (new.id, new.name, new.email, new.phone);
    END""",
    """CREATE TRIGGER client_search_delete AFTER DELETE ON client BEGIN
        INSERT INTO client_search (client_search, rowid, name, email, phone)
        VALUES ('delete', old.id, old.name, old.email, old.phone);
    END""",
    """CREATE TRIGGER client_search_update AFTER UPDATE OF name, email, phone ON client BEGIN
        INSERT INTO client_search (client_search, rowid, name, email, phone)
        VALUES ('delete', old.id, old.name, old.email, old.phone);
        INSERT INTO client_search (rowid, name, email, phone) VALUES (new.id, new.name, new.email, new.phone);
    END""",
)


def _made(db, statement, missing):
    """Run `statement` in a savepoint; False (and a warning naming `missing`) when the database refuses it."""
    try:
        with db.atomic():
            db.execute_sql(statement)
    except peewee.DatabaseError as refused:
        log.warning("The clients search stays a scan, without %s: %s", missing, refused)
        return False
    return True


def up(migrator, db):
    if isinstance(db, peewee.PostgresqlDatabase):
        if _made(db, "CREATE EXTENSION IF NOT EXISTS pg_trgm", "PostgreSQL's pg_trgm extension"):
            db.execute_sql(
                f"CREATE INDEX {POSTGRES_INDEX} ON client "
                "USING gin (name gin_trgm_ops, email gin_trgm_ops, phone gin_trgm_ops)"
            )
        return
    table = (
        f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5"
        "(name, email, phone, content='client', content_rowid='id', tokenize='trigram')"
    )
    if _made(db, table, "SQLite's FTS5 trigram tokenizer"):
        for trigger in SQLITE_TRIGGERS:
            db.execute_sql(trigger)
        db.execute_sql(f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}) VALUES ('rebuild')")


def down(migrator, db):
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql(f"DROP INDEX IF EXISTS {POSTGRES_INDEX}")
        return
    for trigger in ("insert", "delete", "update"):
        db.execute_sql(f"DROP TRIGGER IF EXISTS client_search_{trigger}")
    db.execute_sql(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")

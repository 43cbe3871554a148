"""The database connection: SQLite in the instance folder by default, PostgreSQL through its URL.

Models bind to `database` (a proxy), so the app, the command line and the tests each pick the real
database in one place.
"""
import os

import peewee
from playhouse.db_url import connect as connect_url
from playhouse.migrations import Runner

database = peewee.DatabaseProxy()

# What peewee raises when the database cannot be reached or is locked: a request meeting one gets a 503
# (server/errors.py), and its connection is closed so that the next request opens a fresh one.
UNAVAILABLE = (peewee.OperationalError, peewee.InterfaceError)

MIGRATIONS = os.path.join(os.path.dirname(__file__), "migrations")


def open_database(url, instance_path, busy_timeout=10000):
    """A peewee database for a URL, or SQLite in the instance folder when there is none. An SQLite
    writer waits `busy_timeout` milliseconds for another's lock before giving up."""
    if not url:
        url = "sqlite:///" + os.path.join(instance_path, "frontdesk.db")
    if url.startswith("sqlite"):
        # IMMEDIATE: every transaction takes the write lock at BEGIN, so two writers never both read
        # a free slot and then fail to upgrade; busy_timeout makes the second one wait its turn.
        return connect_url(
            url,
            lock_type="IMMEDIATE",
            pragmas={"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": busy_timeout},
        )
    if url.startswith("postgres"):
        url = url.replace("postgres://", "postgresql://", 1)
    return connect_url(url)


def is_postgres():
    return isinstance(database.obj, peewee.PostgresqlDatabase)


def lock_rows(query):
    """SELECT … FOR NO KEY UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the lock.

    NO KEY: two of these on one row still wait for each other, but the FOR KEY SHARE that a foreign-key
    check takes does not wait for them. With a plain FOR UPDATE, a professional booking for a colleague
    (holding the colleague's row, checking their own) and that colleague cancelling one of theirs (the
    other way round) deadlocked."""
    return query.for_update("FOR NO KEY UPDATE") if is_postgres() else query


def upgrade():
    """Apply the numbered scripts in server/migrations that have not run yet."""
    return Runner(database.obj, directory=MIGRATIONS).up()


def init_app(app):
    """Bind the models to the app's database and make sure each request has a connection.

    PostgreSQL's is closed after every request, which is also what reconnects after an outage: a
    connection that died with a restart is dropped (peewee forgets it even when closing it fails) and
    the next request connects anew. SQLite's stays open for the life of the worker (peewee keeps one
    per thread): opening a file costs as much as a small page, and closing the last connection to a
    WAL database checkpoints it, which would add a disk write to every request. A locked SQLite
    database does not break its connections, so there is nothing to reconnect."""
    database.initialize(open_database(app.config["DATABASE_URL"], app.instance_path,
                                      app.config["SQLITE_BUSY_TIMEOUT"]))

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(exc):
        if is_postgres():
            release()


def release():
    """Close the connection if one is open. One that died in an outage is dropped all the same (peewee
    forgets it even when closing fails), so the next query connects anew."""
    if not database.is_closed():
        try:
            database.close()
        except UNAVAILABLE:
            pass

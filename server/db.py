"""The database connection: SQLite in the instance folder by default, PostgreSQL through its URL.

Models bind to `database` (a proxy), so the app, the command line and the tests each pick the real
database in one place. Nothing connects until the first query: a request that runs none (a bare route,
/embed.js) costs the database nothing.
"""

import contextlib
import fcntl
import logging
import os
import select
import threading
import time

import peewee
import psycopg
from playhouse.db_url import connect as connect_url
from playhouse.db_url import parse as parse_url
from playhouse.migrations import Runner
from playhouse.pool import MaxConnectionsExceeded, PooledDatabase, PooledPostgresqlDatabase

database = peewee.DatabaseProxy()
log = logging.getLogger(__name__)

# What a request meets when the database cannot be reached or is locked, or when every pooled connection
# stays busy for POOL_WAIT seconds: it gets a 503 (server/errors.py), and its broken connection is
# discarded so that the next request gets a sound one.
UNAVAILABLE = (peewee.OperationalError, peewee.InterfaceError, MaxConnectionsExceeded)

# Seconds a request waits for a pooled connection when all of its worker's are in use.
POOL_WAIT = 5
# Seconds after which a pooled connection is closed on its next return and replaced, so that none lives
# on forever past a PgBouncer or server setting change, or a failover.
POOL_RECYCLE = 300

# Runs of one statement on one pooled connection after which psycopg prepares it on the server (its own
# default): a statement a request sends every time is planned once per connection, a rare one never.
PREPARE_AFTER = 5

MIGRATIONS = os.path.join(os.path.dirname(__file__), "migrations")

# Seconds between a waiting SQLite writer's asks for its turn.
TURN_POLL = 0.0005


def idle_connection_broken(conn):
    """Whether an idle pooled psycopg connection must be discarded, told without a round trip.

    An idle connection is owed nothing by the server, so a readable socket means the server wrote to it
    anyway: it closed it (a restart, an ended backend: the FATAL message and the end of the stream) or
    sent something this connection did not ask for. Either way it is not trusted with a request. A
    connection that psycopg already knows to be closed, or that is not idle outside a transaction, goes too.
    """
    try:
        if conn.closed or conn.info.transaction_status != conn.info.transaction_status.IDLE:
            return True
        readable, _, _ = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        return True
    return bool(readable)


class CheckedPool(PooledPostgresqlDatabase):
    """peewee's PostgreSQL pool, checking an idle connection on checkout by its socket (no SELECT 1),
    and closing one it discards rather than leaving its socket to the garbage collector."""

    def _is_closed(self, conn):
        if not idle_connection_broken(conn):
            return False
        self._close_raw(conn)
        return True


class QueuedSqliteDatabase(peewee.SqliteDatabase):
    """SQLite whose writers take turns on a lock file beside the database (`<file>-writers`) before their
    `BEGIN IMMEDIATE`, letting go at COMMIT or ROLLBACK.

    SQLite's busy handler sleeps a waiting writer in growing steps of up to 100 ms, so under a burst of
    POSTs a writer slept on long after the lock came free and lost it again to newcomers: the POSTs' p99
    (a booking's 244 ms at 4 clients, against 53 with turns). Here a writer asks every TURN_POLL seconds.
    Only this app's transactions take turns; anything else holding SQLite's lock (a backup, the sqlite3
    shell) is still waited out by the busy handler, and a writer without its turn after `turn_wait`
    seconds begins anyway, so a stuck holder ends in the same "database is locked" (a 503) as before."""

    def __init__(self, database, turn_wait=10.0, **kwargs):
        super().__init__(database, **kwargs)
        self.turn_wait = turn_wait
        self._turns = threading.local()
        in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
        self.turns_path = None if in_memory else database + "-writers"

    def _lock_file(self):
        """This thread's lock file, or None for an in-memory database or one whose lock file cannot be opened
        (a read-only folder): its writers wait in SQLite's busy handler alone, as before turns. Opened per
        thread and per process: an flock belongs to an open file, so threads of one process take turns as
        processes do, and a worker forked with its parent's file would share the parent's turn."""
        if self.turns_path is None:
            return None
        turns = self._turns
        if getattr(turns, "pid", None) != os.getpid():
            turns.pid, turns.held, turns.file = os.getpid(), False, None
            try:
                turns.file = os.fdopen(_open_turns_file(self.turns_path, self.database), "rb", 0)
            except OSError as error:
                log.warning("SQLite writers wait without turns: %s", error)
        return turns.file

    def _take_turn(self):
        lock_file = self._lock_file()
        if lock_file is None:
            return
        deadline = time.monotonic() + self.turn_wait
        while True:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return
                time.sleep(TURN_POLL)
            else:
                self._turns.held = True
                return

    def _end_turn(self):
        if getattr(self._turns, "held", False) and self._turns.pid == os.getpid():
            self._turns.held = False
            fcntl.flock(self._turns.file, fcntl.LOCK_UN)

    def begin(self, lock_type=None):
        self._take_turn()
        try:
            super().begin(lock_type)
        except BaseException:
            self._end_turn()
            raise

    def commit(self):
        try:
            return super().commit()
        finally:
            self._end_turn()

    def rollback(self):
        try:
            return super().rollback()
        finally:
            self._end_turn()

    def _close(self, conn):
        self._end_turn()
        super()._close(conn)


def _open_turns_file(path, database):
    """The descriptor of the lock file at `path`, made readable by the database's owner only; made by root (a
    migration run by an administrator), it is given to the database file's owner, as SQLite does with its
    -wal and -shm files, so the app's own user can open it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    if os.geteuid() == 0:
        owner = os.stat(database)
        os.fchown(fd, owner.st_uid, owner.st_gid)
    return fd


def open_database(url, instance_path, busy_timeout=10000, pool_size=None, prepared=False):
    """A peewee database for a URL, or SQLite in the instance folder when there is none. An SQLite
    writer waits `busy_timeout` milliseconds for another's lock before giving up. PostgreSQL's is a pool
    of at most `pool_size` connections when one is given (the app), else one plain connection (a script).
    `prepared`: the pool's connections prepare a statement on the server once it has run PREPARE_AFTER
    times, so PostgreSQL plans it once per connection instead of on every request."""
    if not url:
        url = "sqlite:///" + os.path.join(instance_path, "frontdesk.db")
    if url.startswith("sqlite"):
        # IMMEDIATE: every transaction takes the write lock at BEGIN, so two writers never both read
        # a free slot and then fail to upgrade; the second one waits its turn.
        return QueuedSqliteDatabase(
            **parse_url(url),
            turn_wait=busy_timeout / 1000,
            lock_type="IMMEDIATE",
            pragmas={"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": busy_timeout},
        )
    if url.startswith("postgres://"):
        url = url.replace("postgres://", "postgresql://", 1)
    # A prepared statement is the one thing a connection keeps between transactions: PgBouncer in
    # transaction mode follows them from 1.21 on (max_prepared_statements), older ones need them off.
    if url.startswith("postgresql://") and pool_size:
        return CheckedPool(
            **parse_url(url),
            prepare_threshold=PREPARE_AFTER if prepared else None,
            max_connections=pool_size,
            timeout=POOL_WAIT,
            stale_timeout=POOL_RECYCLE,
        )
    return connect_url(url, prepare_threshold=None) if url.startswith("postgresql://") else connect_url(url)


def is_postgres():
    return isinstance(database.obj, peewee.PostgresqlDatabase)


# Where a compiled query's arguments go while it is built: values no row has, one per argument (a text
# column's turns into its digits).
ARGUMENTS = (-2_147_000_001, -2_147_000_002, -2_147_000_003, -2_147_000_004)
_SLOTS = {**{argument: n for n, argument in enumerate(ARGUMENTS)}, **{str(a): n for n, a in enumerate(ARGUMENTS)}}


def _slot(param):
    """Which argument a built query's parameter stands for, or None for one of the query's own."""
    try:
        return _SLOTS.get(param)
    except TypeError:  # an unhashable parameter (a JSON value) is the query's own
        return None


class CompiledQuery:
    """A SELECT of the hottest pages and forms, its SQL built once per kind of database and run again with
    each request's arguments: building the SQL of a clinic's 40 columns, or of a session joined to everyone
    its page names, cost more than running it, and so did matching the result's columns to the models'
    fields (kept too: the same SQL always returns the same columns). `build(*arguments)` returns the peewee
    query with each argument where its value goes; `first(*values)` is its first row (with its joined rows),
    or None, and `all(*values)` the list of its rows. A value goes to the driver as it is: an id, not a row."""

    def __init__(self, build):
        self.build = build
        self.compiled = {}

    def _rows(self, values):
        kind = type(database.obj)
        if kind not in self.compiled:
            query = self.build(*ARGUMENTS[: len(values)])
            sql, params = query.sql()
            self.compiled[kind] = [query, sql, params, [_slot(param) for param in params], None]
        compiled = self.compiled[kind]
        query, sql, params, slots, layout = compiled
        cursor = database.execute_sql(
            sql, [param if slot is None else values[slot] for param, slot in zip(params, slots)]
        )
        # The query's own cursor wrapper makes the rows (and the joined ones) as running the query would; its
        # layout (what peewee's initialize() works out from the columns, on the first row) is the first one's.
        rows = query._get_cursor_wrapper(cursor)
        before = set(vars(rows))
        if layout is not None:
            vars(rows).update(layout)
            rows.initialized = True
        for row in rows:
            if compiled[4] is None:
                compiled[4] = {name: kept for name, kept in vars(rows).items() if name not in before}
            yield row

    def first(self, *values):
        return next(self._rows(values), None)

    def all(self, *values):
        return list(self._rows(values))


_inserts = {}


def insert(model, rows):
    """INSERT `rows` (dicts of field name to value, with the same names) into the model's table, its SQL
    built once per kind of database, columns and number of rows: peewee built it anew for each row, as
    costly as running it. Returns the last row's id, or for a key that is not an id, what the driver says."""
    names = tuple(rows[0])
    if any(row.keys() != rows[0].keys() for row in rows[1:]):
        raise ValueError("every row must name the same fields")
    key = (type(database.obj), model, names, len(rows))
    fields = [model._meta.fields[name] for name in names]
    if key not in _inserts:
        placeholder = [tuple(row[name] for name in names) for row in rows]
        _inserts[key] = model.insert_many(placeholder, fields=fields).sql()[0]
    sql = _inserts[key]
    cursor = database.execute_sql(sql, [field.db_value(row[field.name]) for row in rows for field in fields])
    if " RETURNING " in sql:
        return cursor.fetchall()[-1][0]
    return cursor.lastrowid


def next_id(model):
    """The id the model's next row will have, taken inside a write transaction for a row inserted later in it,
    so that what tells of the row (its emails) is made before the lock its insert waits for. PostgreSQL's
    sequence gives it for good (a rolled-back one is skipped); on SQLite the transaction holds the write lock,
    and it is one past the highest, as SQLite would give it."""
    table = model._meta.table_name
    if is_postgres():
        return database.execute_sql("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", (table,)).fetchone()[0]
    return database.execute_sql(f'SELECT coalesce(max("id"), 0) + 1 FROM "{table}"').fetchone()[0]


_by_id = {}


def by_id(model):
    """The compiled query of the model's row by id: by_id(Clinic).first(7) reads what
    Clinic.get_or_none(Clinic.id == 7) does."""
    if model not in _by_id:
        _by_id[model] = CompiledQuery(lambda argument: model.select().where(model._meta.primary_key == argument))
    return _by_id[model]


def lock_rows(query):
    """SELECT … FOR NO KEY UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the lock.

    NO KEY: two of these on one row still wait for each other, but the FOR KEY SHARE that a foreign-key
    check takes does not wait for them. With a plain FOR UPDATE, a professional booking for a colleague
    (holding the colleague's row, checking their own) and that colleague cancelling one of theirs (the
    other way round) deadlocked."""
    return query.for_update("FOR NO KEY UPDATE") if is_postgres() else query


def joined_transaction():
    """A transaction of its own, or the caller's when one is open: for a change that is whole on its own
    and is also made as part of a larger one (a booking under a form's one-time nonce). Unlike a nested
    `atomic()` it makes no savepoint (two round trips on PostgreSQL), so an error inside rolls back the
    caller's whole transaction: for callers that would not go on after one anyway."""
    return contextlib.nullcontext() if database.in_transaction() else database.atomic()


def upgrade():
    """Apply the numbered scripts in server/migrations that have not run yet."""
    return Runner(database.obj, directory=MIGRATIONS).up()


def init_app(app):
    """Bind the models to the app's database, and end each request's use of it.

    PostgreSQL's connections are pooled per worker process: one goes back to the pool after every
    request that used one, rolled back if a transaction was left open (peewee's pool does that on
    return), and one that broke (a restart, an ended backend) is discarded, on return or when the pool
    hands it out (`idle_connection_broken`: its socket, no round trip), so no request gets a dead one. SQLite's
    connection stays open for the life of the worker (peewee keeps one per thread): opening a file costs
    as much as a small page, and closing the last connection to a WAL database checkpoints it, which
    would add a disk write to every request. A locked SQLite database does not break its connections,
    so there is nothing to reconnect."""
    replaced = database.obj
    database.initialize(
        open_database(
            app.config["DATABASE_URL"],
            app.instance_path,
            app.config["SQLITE_BUSY_TIMEOUT"],
            app.config["DATABASE_POOL_SIZE"],
            app.config["DATABASE_PREPARED_STATEMENTS"],
        )
    )
    if isinstance(replaced, PooledDatabase):
        replaced.close_idle()

    app.teardown_appcontext(end_request)


def end_request(exc=None):
    """End a request's use of the database, rolling back any transaction it left open (a failure inside
    a transaction that was entered and never exited), so the next request on this thread starts clean:
    PostgreSQL's pool rolls back on return, SQLite's kept connection is rolled back here."""
    while database.transaction_depth():
        database.pop_transaction()
    if is_postgres():
        release()
    elif not database.is_closed() and database.connection().in_transaction:
        database.rollback()


def release():
    """Close the connection if one is open (a pooled one goes back to its pool). One that died in an
    outage is dropped all the same (peewee forgets it even when closing fails), so the next query gets
    a sound one."""
    if not database.is_closed():
        try:
            database.close()
        except UNAVAILABLE:
            pass

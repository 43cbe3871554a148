"""SQLite's writers take turns on a lock file beside the database (db.QueuedSqliteDatabase) instead of
sleeping in SQLite's busy handler: a turn lasts exactly one transaction, however it ends, and a turn
that never comes (a stuck holder) does not stop a writer, which then meets SQLite's own lock as before."""

import fcntl
import os
import sqlite3

import peewee
import pytest
from frontdesk.db import open_database


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "frontdesk.db"
    database = open_database("sqlite:///" + str(path), str(tmp_path), busy_timeout=200)
    database.execute_sql("CREATE TABLE note (text TEXT NOT NULL)")
    try:
        yield database, str(path)
    finally:
        database.close()


def turn_is_free(path):
    """Whether another writer could take the turn now (asked from a descriptor of its own)."""
    fd = os.open(path + "-writers", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def notes(path):
    with sqlite3.connect(path) as connection:
        return [text for (text,) in connection.execute("SELECT text FROM note")]


def test_a_transaction_holds_the_turn_until_it_commits_or_rolls_back(sqlite_file):
    database, path = sqlite_file
    with database.atomic():
        database.execute_sql("INSERT INTO note VALUES ('kept')")
        assert not turn_is_free(path)
    assert turn_is_free(path)

    with pytest.raises(ZeroDivisionError), database.atomic():
        database.execute_sql("INSERT INTO note VALUES ('undone')")
        assert not turn_is_free(path)
        1 / 0
    assert turn_is_free(path)
    assert notes(path) == ["kept"]


def test_a_turn_that_never_comes_does_not_stop_a_writer(sqlite_file):
    database, path = sqlite_file
    stuck = os.open(path + "-writers", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(stuck, fcntl.LOCK_EX)
        with database.atomic():  # waits out the busy timeout for its turn, then begins all the same
            database.execute_sql("INSERT INTO note VALUES ('written')")
    finally:
        os.close(stuck)
    assert notes(path) == ["written"]


def test_a_locked_database_still_refuses_the_write_and_frees_the_turn(sqlite_file):
    database, path = sqlite_file
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(peewee.OperationalError, match="locked"), database.atomic():
            database.execute_sql("INSERT INTO note VALUES ('refused')")
        assert turn_is_free(path)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert notes(path) == []

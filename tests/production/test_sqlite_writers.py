"""SQLite's writers take turns on a lock file: a transaction holds the turn from BEGIN to its end, however it
ends, so no writer waits on one that is gone; a forked worker takes its own turns; and a turn that never comes
(a holder stuck outside SQLite's lock) does not stop a writer that SQLite itself would let in."""

import fcntl
import multiprocessing
import os
import threading

import peewee
import pytest
from frontdesk import db


class Note(peewee.Model):
    text = peewee.TextField()


def open_writers(tmp_path, busy_timeout):
    database = db.open_database("sqlite:///" + str(tmp_path / "frontdesk.db"), str(tmp_path), busy_timeout)
    Note.bind(database)
    database.create_tables([Note])
    return database


@pytest.fixture
def writers(tmp_path):
    """Writers whose wait for a turn (the busy timeout) outlasts any pause of a busy machine."""
    database = open_writers(tmp_path, busy_timeout=60_000)
    try:
        yield database
    finally:
        database.close()


def turn_taken(database):
    """Whether a writer holds the turn, asked from an open file of our own, as another process would."""
    with open(database.database + "-writers", "rb") as other:
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(other, fcntl.LOCK_UN)
        return False


def test_a_transaction_holds_the_turn_until_it_commits(writers):
    with writers.atomic():
        Note.create(text="first")
        assert turn_taken(writers)
    assert not turn_taken(writers)
    assert [n.text for n in Note.select()] == ["first"]


def test_a_failed_transaction_lets_go_of_the_turn(writers):
    with pytest.raises(RuntimeError), writers.atomic():
        Note.create(text="rolled back")
        raise RuntimeError("the form's check failed")
    assert not turn_taken(writers)
    assert Note.select().count() == 0


def test_a_request_that_left_its_transaction_open_lets_go_at_its_end(writers):
    db.database.initialize(writers)
    writers.atomic().__enter__()  # a failure between entering a transaction and leaving it
    Note.create(text="never committed")
    assert turn_taken(writers)
    db.end_request()
    assert not turn_taken(writers)
    assert Note.select().count() == 0


def test_a_second_writer_waits_for_the_first_and_then_goes_on(writers, monkeypatch):
    waiting = threading.Event()
    order = []
    real_sleep = db.time.sleep

    def sleep(seconds):
        waiting.set()
        real_sleep(seconds)

    monkeypatch.setattr(db.time, "sleep", sleep)

    def second():
        with writers.atomic():
            order.append("second began")
            Note.create(text="second")
        writers.close()

    with writers.atomic():
        Note.create(text="first")
        thread = threading.Thread(target=second)
        thread.start()
        assert waiting.wait(timeout=30)  # the second writer asks for its turn, again and again
        assert order == []
        order.append("first committed")
    thread.join(timeout=30)
    assert order == ["first committed", "second began"]
    assert sorted(n.text for n in Note.select()) == ["first", "second"]


def _child_takes_its_own_turn(database, answer):
    try:
        fcntl.flock(database._lock_file(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        answer.put("waits")
    else:
        answer.put("took the parent's turn")


def test_a_forked_worker_does_not_share_its_parents_turn(writers):
    context = multiprocessing.get_context("fork")
    answer = context.Queue()
    with writers.atomic():
        Note.create(text="the parent's")
        child = context.Process(target=_child_takes_its_own_turn, args=(writers, answer))
        child.start()
        try:
            assert answer.get(timeout=30) == "waits"
        finally:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()


def test_a_turn_that_never_comes_does_not_stop_a_writer_sqlite_lets_in(tmp_path):
    writers = open_writers(tmp_path, busy_timeout=200)
    try:
        with open(writers.database + "-writers", "ab") as stuck:
            fcntl.flock(stuck, fcntl.LOCK_EX)  # a holder stuck outside any transaction
            with writers.atomic():
                Note.create(text="after the wait")
        assert [n.text for n in Note.select()] == ["after the wait"]
    finally:
        writers.close()


def test_a_lock_file_that_cannot_be_opened_leaves_writers_to_sqlites_own_waiting(tmp_path, caplog):
    (tmp_path / "frontdesk.db-writers").mkdir()  # a read-only folder would refuse it the same way
    writers = open_writers(tmp_path, busy_timeout=60_000)
    try:
        with writers.atomic():
            Note.create(text="without turns")
        assert [n.text for n in Note.select()] == ["without turns"]
        assert "SQLite writers wait without turns" in caplog.text
    finally:
        writers.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file away")
def test_a_lock_file_made_by_root_belongs_to_the_databases_owner(tmp_path):
    writers = open_writers(tmp_path, busy_timeout=60_000)
    try:
        os.chown(writers.database, 65534, 65534)  # the app's own user; root runs a migration
        with writers.atomic():
            Note.create(text="by root")
        made = os.stat(writers.database + "-writers")
        assert (made.st_uid, made.st_gid, made.st_mode & 0o777) == (65534, 65534, 0o600)
    finally:
        writers.close()

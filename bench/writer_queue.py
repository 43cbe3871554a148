"""SQLite writers queued on the lock file (db.QueuedSqliteDatabase) against SQLite's busy handler alone.

Run: `.venv/bin/python bench/writer_queue.py [--writers 4] [--transactions 150] [--hold-ms 5]`. W processes
each run T write transactions on one SQLite file in a temporary folder, each holding the write lock for
about H ms (an insert, then a sleep standing for the rendering a POST does under the lock), with the two
kinds taking turns in rounds. Printed: transactions per second and the p50/p99 of one transaction from
asking to commit. Only processes and the file are involved, so the rest of the machine's load touches both
kinds alike; it isolates what the queue changes, which the HTTP bench's p99 (dominated by a busy machine's
scheduling) cannot.
"""

import argparse
import multiprocessing
import sys
import tempfile
import time

from common import ROOT, summary

sys.path.insert(0, str(ROOT))


def writer(path, queued, transactions, hold, results):
    import peewee
    from frontdesk.db import open_database

    database = open_database("sqlite:///" + path, "") if queued else None
    if database is None:  # SQLite's busy handler alone: what open_database gave before the queue
        database = peewee.SqliteDatabase(
            path, lock_type="IMMEDIATE", pragmas={"journal_mode": "wal", "busy_timeout": 10000}
        )
    latencies = []
    for _ in range(transactions):
        began = time.perf_counter()
        with database.atomic():
            database.execute_sql("INSERT INTO note (text) VALUES ('x')")
            time.sleep(hold)
        latencies.append(time.perf_counter() - began)
    database.close()
    results.put(latencies)


def run(path, queued, args):
    results = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=writer, args=(path, queued, args.transactions, args.hold_ms / 1000, results))
        for _ in range(args.writers)
    ]
    began = time.perf_counter()
    for process in processes:
        process.start()
    latencies = [latency for _ in processes for latency in results.get()]
    for process in processes:
        process.join()
    return len(latencies) / (time.perf_counter() - began), latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--transactions", type=int, default=150)
    parser.add_argument("--hold-ms", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    totals = {True: [0.0, []], False: [0.0, []]}
    with tempfile.TemporaryDirectory() as folder:
        path = folder + "/writers.db"
        import sqlite3

        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA journal_mode=wal")
            connection.execute("CREATE TABLE note (text TEXT)")
        for _ in range(args.rounds):
            for queued in (False, True):
                rate, latencies = run(path, queued, args)
                totals[queued][0] += rate / args.rounds
                totals[queued][1] += latencies
    print(
        f"{args.writers} writer processes, {args.transactions} transactions each holding the lock ~{args.hold_ms:g} ms"
    )
    print(f"{'':<28}{'tx/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for queued, label in ((False, "busy handler alone"), (True, "queued on the lock file")):
        rate, latencies = totals[queued]
        p50, p99 = summary(latencies)
        print(f"{label:<28}{rate:>8.0f}{p50:>9.1f}{p99:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

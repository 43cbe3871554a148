"""Throughput and p50/p99 latency of the client pages that matter, as ratios to a bare route on the
same gunicorn server (bench/wsgi.py adds /bench/bare, which touches neither database nor template).

Run: `make bench` (or `.venv/bin/python bench/http_ratio.py [--seconds S] [--concurrency C]`).

One gunicorn server (sync workers, 2 x CPUs + 1, as `make serve` runs it) on loopback serves a fresh SQLite database in a
temporary folder. The load generator is Python: C threads, each with its own http.client connection,
each endpoint for S seconds in all (split over alternating rounds, each after a short warm-up), at most
MAX_REQUESTS requests a round. Every POST carries a
form token of its own (issued beforehand with the bench's signing key, as the GET would), and every
booking asks for a different free slot, so each one books. Public-form guards that would turn a load
generator away as a bot (minimum fill time, rate limit) are relaxed through their environment
variables; nothing else differs from production.

The ratio is throughput(endpoint) / throughput(bare); targets: GET >= 0.5, POST >= 0.25. The floor page
(bench/wsgi.py: one query and the error page's layout, nothing of Frontdesk's own) is printed beside
them for reference, with no target: it is the most any page on this stack can score.
Exit status 1 when a target is missed or a request fails.
"""
import argparse
import datetime
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

from common import ROOT, SECRET, bench_clinic, bench_environment, instance, make_app, summary, timer

MAX_REQUESTS = 50_000
TARGETS = {"GET": 0.5, "POST": 0.25}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(app, bodies):
    """A clinic with one professional bookable around the clock, one booked session to manage, and
    `bodies` ready-made POST bodies for the request form and for the booking form."""
    from frontdesk import appointments, links
    from frontdesk.models import Client, Service, utcnow

    with app.app_context():
        clinic, professional = bench_clinic("Bench Clinic", "owner@bench.example", timezone="UTC", registration={})
        service = Service.create(clinic=clinic, name="Short session", duration_minutes=15, position=0)
        client = Client.create(clinic=clinic, email="managed@bench.example", name="Managed Client", status="active")
        # Far beyond the slots the booking POSTs take, so they never meet.
        start = datetime.datetime.combine(utcnow().date() + datetime.timedelta(days=3000), datetime.time(10))
        managed = appointments.book(clinic, professional, client, service, start, 15, booked_by=professional)
        keys = [SECRET]
        request_token = links.request_token(keys, clinic)
        booking_token = links.booking_token(keys, professional)
        manage_token = links.manage_token(keys, managed)

        request_bodies = [urllib.parse.urlencode({
            "form_token": links.form_token(keys, request_token), "tz": "UTC", "website": "",
            "name": f"Load Tester {n}", "email": f"load{n}@bench.example", "service": "",
            "message": "A request sent by the benchmark."}) for n in range(bodies)]
        first = datetime.datetime.combine(utcnow().date() + datetime.timedelta(days=2), datetime.time())
        starts = []
        moment = first
        while len(starts) < bodies:
            if moment.time() <= datetime.time(23, 44):
                starts.append(moment)
            moment += datetime.timedelta(minutes=15)
        booking_bodies = [urllib.parse.urlencode({
            "form_token": links.form_token(keys, booking_token), "tz": "UTC", "website": "",
            "service": service.id, "start": start.isoformat(), "name": f"Booker {n}",
            "email": f"booker{n}@bench.example"}) for n, start in enumerate(starts)]
    return {"request": f"/r/{request_token}", "booking": f"/b/{booking_token}/book",
            "manage": f"/m/{manage_token}", "request_bodies": request_bodies, "booking_bodies": booking_bodies}


def start_server(folder, port, workers, target="bench.wsgi:app"):
    env = bench_environment(folder)
    command = [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--worker-class", "sync", "--pythonpath", str(ROOT),
               "--log-level", "warning", target]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/bench/bare")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def load(port, method, path, feed, seconds, concurrency, warmup=0.5):
    """(requests, elapsed seconds, latencies, failures): `concurrency` threads for `seconds`, each POST
    taking the next body from the iterator `feed`."""
    lock = threading.Lock()
    latencies, failures, counted = [], [], [0]
    start_at, stop_at = [0.0], [0.0]
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if method == "POST" else {}

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while True:
            now = timer()
            if now >= stop_at[0]:
                break
            with lock:
                if counted[0] >= MAX_REQUESTS:
                    break
                body = next(feed, None) if feed is not None else None
                if feed is not None and body is None:
                    break
                counted[0] += 1
            began = timer()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = repr(error)
                connection.close()
            ended = timer()
            if began >= start_at[0]:
                mine.append(ended - began)
                if status != 200:
                    failures.append(status)
        with lock:
            latencies.extend(mine)

    start_at[0] = timer() + warmup
    stop_at[0] = start_at[0] + seconds
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = min(timer(), stop_at[0]) - start_at[0]
    return len(latencies), elapsed, latencies, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=9.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--app", default="bench.wsgi:app", help="the WSGI app to serve (it must answer /bench/bare)")
    # As `make serve` runs it: sync workers, 2 x cores + 1.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()

    with instance() as folder:
        app = make_app(folder)
        bodies = int(2000 + args.seconds * 800)
        seeded = seed(app, bodies)
        port = free_port()
        server = start_server(folder, port, args.workers, args.app)
        try:
            scenarios = [
                ("bare route GET /bench/bare", "GET", "/bench/bare", None),
                ("floor page GET /bench/floor", "GET", "/bench/floor", None),
                ("request form GET /r/…", "GET", seeded["request"], None),
                ("request form POST /r/…", "POST", seeded["request"], seeded["request_bodies"]),
                ("manage page GET /m/…", "GET", seeded["manage"], None),
                ("booking POST /b/…/book", "POST", seeded["booking"], seeded["booking_bodies"]),
            ]
            # Rounds that take turns, so that anything else the machine does slows every endpoint alike.
            totals = {name: [0, 0.0, [], []] for name, *_ in scenarios}
            feeds = {name: iter(bodies) if bodies is not None else None for name, _, _, bodies in scenarios}
            for _ in range(args.rounds):
                for name, method, path, _ in scenarios:
                    count, elapsed, latencies, failures = load(port, method, path, feeds[name],
                                                               args.seconds / args.rounds, args.concurrency)
                    total = totals[name]
                    total[0] += count
                    total[1] += elapsed
                    total[2] += latencies
                    total[3] += failures
            results = [(name, method, totals[name][0] / totals[name][1]) + summary(totals[name][2]) + (totals[name][3],)
                       for name, method, _, _ in scenarios]
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(f"HTTP on gunicorn ({args.workers} sync workers, SQLite), Python load generator: "
          f"{args.concurrency} connections, {args.seconds:g} s per endpoint in {args.rounds} alternating rounds")
    print(f"{'endpoint':<30}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}  target")
    bare_rps = results[0][2]
    ok = True
    for name, method, rps, p50, p99, failures in results:
        ratio = rps / bare_rps
        if name.startswith("bare"):
            verdict = "(baseline)"
        elif name.startswith("floor"):
            verdict = "(reference: one query and the layout)"
        else:
            met = ratio >= TARGETS[method]
            ok &= met
            verdict = f">= {TARGETS[method]:.2f} {'met' if met else 'MISSED'}"
        if failures:
            ok = False
            verdict += f"; {len(failures)} failed, e.g. {failures[0]}"
        print(f"{name:<30}{rps:>9.0f}{p50:>9.1f}{p99:>9.1f}{ratio:>8.2f}  {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""How fast the mail worker empties the outbox into a local SMTP server, in messages per second.

Run: `make bench` (or `.venv/bin/python bench/mail_throughput.py [--sessions N]`).

N sessions are booked on a fresh SQLite database in a temporary folder, which queues 2N confirmation
emails (text, HTML and an iCalendar invitation each) the way the app does. An aiosmtpd server in its
own process on loopback accepts everything; one pass of the worker (`delivery.deliver_due`, what
`frontdesk send-mail` runs) is timed until the outbox is empty, and the server confirms it received
every message.
"""

import argparse
import datetime
import subprocess
import sys
import textwrap

from common import bench_clinic, instance, make_app, timer

SMTP_SERVER = textwrap.dedent("""
    import socket, sys
    from aiosmtpd.controller import Controller

    class Count:
        received = 0
        async def handle_DATA(self, server, session, envelope):
            Count.received += 1
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin
    controller.stop()
    print(Count.received, flush=True)
""")


def seed(app, sessions):
    from frontdesk import appointments
    from frontdesk.models import Client, Service, utcnow

    with app.app_context():
        clinic, professional = bench_clinic("Mail Clinic", "owner@mail.example")
        service = Service.get(Service.clinic == clinic)
        first = datetime.datetime.combine(utcnow().date() + datetime.timedelta(days=2), datetime.time(8))
        for n in range(sessions):
            client = Client.create(
                clinic=clinic, email=f"client{n}@mail.example", name=f"Client {n}", status="active", language="en"
            )
            appointments.book(
                clinic, professional, client, service, first + datetime.timedelta(hours=n), 50, booked_by=professional
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=500)
    args = parser.parse_args()

    server = subprocess.Popen(
        [sys.executable, "-c", SMTP_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(server.stdout.readline())
        with instance() as folder:
            app = make_app(
                folder, FRONTDESK_MAIL_BACKEND="smtp", FRONTDESK_SMTP_HOST="127.0.0.1", FRONTDESK_SMTP_PORT=str(port)
            )
            seed(app, args.sessions)
            from frontdesk.mail import delivery
            from frontdesk.models import OutboxMessage

            with app.app_context():
                queued = OutboxMessage.select().count()
                began = timer()
                sent, failed = delivery.deliver_due(app)
                elapsed = timer() - began
                left = OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).count()
        server.stdin.close()
        received = int(server.stdout.readline())
    finally:
        server.wait(timeout=30)

    ok = sent == queued == received and not failed and not left
    print("Mail worker to a local SMTP server (aiosmtpd, SQLite outbox, one worker, one SMTP connection per pass)")
    print(
        f"{queued:,} messages queued, {sent:,} sent, {failed:,} failed, {received:,} received, in {elapsed:.2f} s: "
        f"{sent / elapsed:,.0f} messages/s{'' if ok else '  (NOT ALL DELIVERED)'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

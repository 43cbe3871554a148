"""`frontdesk serve`: the app under gunicorn, the mail worker, the calendar worker and the daily retention purge
as one unit. When one stops, or on SIGINT / SIGTERM, all stop, so a process supervisor (systemd, a container
runtime) sees one failure."""

import os
import signal
import subprocess
import sys

APP = "frontdesk:create_app()"
# The access log, on standard output, with links shortened and personal data left out.
ACCESS_LOG = ["--access-logfile", "-", "--logger-class", "frontdesk.access_log.RedactingLogger"]
# Each sync worker serves one request at a time; 2 x cores + 1 keeps the cores busy while some wait on
# the database (gunicorn's own advice).
DEFAULT_WORKERS = 2 * len(os.sched_getaffinity(0)) + 1
GRACEFUL_SECONDS = 20


def command_lines(bind, workers):
    """gunicorn serving the app, `frontdesk send-mail --watch`, `frontdesk sync-calendars --watch` (the
    professionals' external calendars) and `frontdesk purge --watch` (once a day), all from this Python
    environment."""
    return [
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            bind,
            "--graceful-timeout",
            str(GRACEFUL_SECONDS),
            *ACCESS_LOG,
            APP,
        ],
        [sys.executable, "-m", "frontdesk", "send-mail", "--watch"],
        [sys.executable, "-m", "frontdesk", "sync-calendars", "--watch"],
        [sys.executable, "-m", "frontdesk", "purge", "--watch"],
    ]


def run_together(commands):
    """Start every command and wait for the first to stop, or for SIGINT / SIGTERM; then stop the others.
    Returns the exit status: the first one's, or 128 + the signal's number (as a shell would)."""
    children, received = [], []

    def forward(signum, _frame):
        received.append(signum)
        _terminate(children)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    children.extend(subprocess.Popen(command) for command in commands)
    _pid, status = os.wait()
    if not received:
        print("serve: a process stopped; stopping the others", file=sys.stderr)
    _terminate(children)
    for child in children:
        child.wait()
    if received:
        return 128 + received[0]
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def _terminate(children):
    for child in children:
        if child.poll() is None:
            child.terminate()

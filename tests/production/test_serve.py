"""`make serve` (scripts/serve): gunicorn and the mail worker start together, answer on /health, and stop
together: on SIGTERM, and when either one dies. With a production setting missing, nothing starts."""

import http.client
import os
import signal
import subprocess
import sys
import urllib.request

import pytest

from tests.conftest import free_port
from tests.processes import DEADLINE, alive, children, command_line, wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.dirname(os.path.dirname(sys.executable))


def serve_env(tmp_path, **settings):
    env = {key: value for key, value in os.environ.items() if not key.startswith("FRONTDESK_")}
    env.update(
        VENV=VENV,
        WORKERS="2",
        FRONTDESK_INSTANCE_PATH=str(tmp_path),
        FRONTDESK_DATABASE_URL="sqlite:///" + str(tmp_path / "frontdesk.db"),
        **settings,
    )
    return env


PRODUCTION = {
    "FRONTDESK_SECRET_KEYS": "s" * 48,
    "FRONTDESK_BASE_URL": "https://frontdesk.example",
    "FRONTDESK_MAIL_BACKEND": "console",
}


def health(port, process, log_path):
    """/health's response once it answers 200; fails, with the script's output, if the script ends first
    or a busy machine's generous deadline passes."""

    def answered():
        assert process.poll() is None, log_path.read_text()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as response:
                return response
        except (OSError, http.client.HTTPException):  # refused, reset or timed out while it starts
            return None

    return wait_until(answered, interval=0.2, message="scripts/serve never answered on /health")


@pytest.fixture
def serve(tmp_path, processes):
    """scripts/serve in production mode on a free port, once /health answers; its whole process group is
    killed at the end if it is still running, also when it never came up."""
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        process = processes.start(
            ["scripts/serve", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=serve_env(tmp_path, **PRODUCTION),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    process.health = health(port, process, log_path)
    return process


def test_serves_health_with_hsts_and_stops_both_on_sigterm(serve):
    assert serve.health.status == 200
    assert serve.health.headers["Strict-Transport-Security"] == "max-age=31536000"
    started = children(serve.pid)
    assert len(started) == 4  # gunicorn's arbiter, the mail worker, the calendar worker and the daily purge
    serve.send_signal(signal.SIGTERM)
    assert serve.wait(timeout=DEADLINE) == 143
    wait_until(lambda: not any(alive(pid) for pid in started), message="a child outlived scripts/serve")


def test_when_the_mail_worker_dies_gunicorn_stops_too(serve):
    (mail_worker,) = [pid for pid in children(serve.pid) if "send-mail" in command_line(pid)]
    assert [pid for pid in children(serve.pid) if "purge" in command_line(pid)], "no daily purge beside the worker"
    assert [pid for pid in children(serve.pid) if "sync-calendars" in command_line(pid)], "no calendar worker"
    (gunicorn,) = [pid for pid in children(serve.pid) if "gunicorn" in command_line(pid)]
    os.kill(mail_worker, signal.SIGKILL)
    assert serve.wait(timeout=DEADLINE) != 0
    wait_until(lambda: not alive(gunicorn), message="gunicorn outlived the mail worker")


def test_refuses_to_start_with_production_settings_missing(tmp_path, processes):
    script = processes.start(
        ["scripts/serve", f"127.0.0.1:{free_port()}"],
        cwd=ROOT,
        env=serve_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, stderr = script.communicate(timeout=DEADLINE)
    assert script.returncode == 1
    for name in ("FRONTDESK_SECRET_KEYS", "FRONTDESK_BASE_URL", "FRONTDESK_MAIL_BACKEND"):
        assert name in stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "frontdesk.db").exists()

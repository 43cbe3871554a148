"""`make serve` (scripts/serve): gunicorn and the mail worker start together, answer on /health, and stop
together: on SIGTERM, and when either one dies. With a production setting missing, nothing starts."""
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.dirname(os.path.dirname(sys.executable))


def serve_env(tmp_path, **settings):
    env = {key: value for key, value in os.environ.items() if not key.startswith("FRONTDESK_")}
    env.update(VENV=VENV, WORKERS="2", FRONTDESK_INSTANCE_PATH=str(tmp_path),
               FRONTDESK_DATABASE_URL="sqlite:///" + str(tmp_path / "frontdesk.db"), **settings)
    return env


PRODUCTION = {
    "FRONTDESK_SECRET_KEYS": "s" * 48,
    "FRONTDESK_BASE_URL": "https://frontdesk.example",
    "FRONTDESK_MAIL_BACKEND": "console",
}


def children(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(child) for child in f.read().split()]


def command_line(pid):
    with open(f"/proc/{pid}/cmdline") as f:
        return f.read().replace("\0", " ")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(") ")[1][0] != "Z"


@pytest.fixture
def serve(tmp_path):
    """scripts/serve in production mode on a free port, once /health answers; killed at the end if a
    test left it running."""
    port = free_port()
    process = subprocess.Popen(["scripts/serve", f"127.0.0.1:{port}"], cwd=ROOT, env=serve_env(tmp_path, **PRODUCTION),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                break
        except (urllib.error.URLError, ConnectionError):
            assert process.poll() is None and time.monotonic() < deadline, process.stderr.read().decode()
            time.sleep(0.2)
    process.health = response
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_serves_health_with_hsts_and_stops_both_on_sigterm(serve):
    assert serve.health.status == 200
    assert serve.health.headers["Strict-Transport-Security"] == "max-age=31536000"
    started = children(serve.pid)
    assert len(started) == 2  # gunicorn's arbiter and the mail worker
    serve.send_signal(signal.SIGTERM)
    assert serve.wait(timeout=30) == 143
    assert not any(alive(pid) for pid in started)


def test_when_the_mail_worker_dies_gunicorn_stops_too(serve):
    mail_worker, = [pid for pid in children(serve.pid) if "send-mail" in command_line(pid)]
    gunicorn, = [pid for pid in children(serve.pid) if "gunicorn" in command_line(pid)]
    os.kill(mail_worker, signal.SIGKILL)
    assert serve.wait(timeout=30) != 0
    assert not alive(gunicorn)


def test_refuses_to_start_with_production_settings_missing(tmp_path):
    result = subprocess.run(["scripts/serve", f"127.0.0.1:{free_port()}"], cwd=ROOT, env=serve_env(tmp_path),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    for name in ("FRONTDESK_SECRET_KEYS", "FRONTDESK_BASE_URL", "FRONTDESK_MAIL_BACKEND"):
        assert name in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "frontdesk.db").exists()

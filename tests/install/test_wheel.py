"""Installed as an administrator would: the wheel (built from the sdist) in a fresh virtual environment
away from the checkout, then a new instance migrated, a clinic created, the production command serving
and its mail worker delivering a request's emails. Nothing of the checkout is on that install's path."""

import json
import os
import re
import signal
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import Mailbox, free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FORM_TOKEN = re.compile(r'name="form_token" type="hidden" value="([^"]*)"')
SERVICE = re.compile(r'<option value="(\d+)"')
DEADLINE = 120  # seconds: a shared CI machine may be slow, never this slow


def version():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)["project"]["version"]


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A new virtual environment holding Frontdesk from its wheel. Its dependencies come from this test
    run's environment through a .pth line (fast, and no network); that line adds no checkout folder."""
    folder = tmp_path_factory.mktemp("install")
    dist = folder / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), ROOT],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = dist.glob("frontdesk-*.whl")
    target = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target)], check=True, timeout=120)
    python = target / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        cwd=folder,
        timeout=300,
    )
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
        cwd=folder,
    ).stdout.strip()
    with open(os.path.join(site, "dependencies.pth"), "w") as f:
        f.write(sysconfig.get_paths()["purelib"] + "\n")
    return target


@pytest.fixture
def mailbox():
    """An SMTP server on loopback: production mode refuses the file backend."""
    from aiosmtpd.controller import Controller

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def site(venv, mailbox, tmp_path):
    """Runs the install's commands in a folder of its own, with production settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FRONTDESK_", "PYTHON"))}
    env.update(
        FRONTDESK_INSTANCE_PATH=str(tmp_path / "instance"),
        FRONTDESK_DATABASE_URL="sqlite:///" + str(tmp_path / "frontdesk.db"),
        FRONTDESK_SECRET_KEYS="k" * 48,
        FRONTDESK_BASE_URL="https://frontdesk.example",
        FRONTDESK_MAIL_BACKEND="smtp",
        FRONTDESK_SMTP_HOST="127.0.0.1",
        FRONTDESK_SMTP_PORT=str(mailbox.port),
        FRONTDESK_FORM_MIN_SECONDS="0",
        FRONTDESK_ENV="production",
    )

    def frontdesk(*args):
        return subprocess.run(
            [str(venv / "bin" / "frontdesk"), *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=DEADLINE,
            check=True,
        ).stdout

    frontdesk.env, frontdesk.cwd, frontdesk.bin = env, tmp_path, venv / "bin"
    return frontdesk


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode()


def wait_for(condition, what):
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)


def answers(url, process):
    assert process.poll() is None, process.stderr.read()
    try:
        return get(url)[0] == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def stop(process):
    """SIGTERM, as a supervisor stops it; then SIGKILL for whatever is left of its process group."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def send_request(url):
    form = get(url)[1]
    fields = {
        "form_token": FORM_TOKEN.search(form).group(1),
        "website": "",
        "name": "Sam Rivera",
        "email": "sam@example.com",
        "message": "Evenings are best.",
    }
    service = SERVICE.search(form)
    if service:
        fields["service"] = service.group(1)
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode()


def test_the_installed_package_comes_from_the_wheel(site):
    """`frontdesk --version` and `python -m frontdesk` work, and `frontdesk` is imported from the install."""
    assert version() in site("--version")
    where = subprocess.run(
        [str(site.bin / "python"), "-c", "import frontdesk; print(frontdesk.__file__)"],
        cwd=site.cwd,
        env=site.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(site.bin.parent)) and not where.startswith(ROOT)
    module_help = subprocess.run(
        [str(site.bin / "python"), "-m", "frontdesk", "--help"],
        cwd=site.cwd,
        env=site.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "serve" in module_help and "send-mail" in module_help


def test_an_installed_frontdesk_serves_a_clinic_and_delivers_its_mail(site, mailbox):
    """Migrate, create a clinic, serve in production mode: health, the embed script, the request form in
    English and Icelandic; a request's emails reach the SMTP server, and `frontdesk send-mail` then finds
    nothing left to send."""
    site("db", "upgrade")
    clinic = json.loads(
        site(
            "clinic",
            "create",
            "--name",
            "Harbour Therapy",
            "--owner-email",
            "owner@harbour.example",
            "--owner-password",
            "a long owner password",
            "--json",
        )
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = subprocess.Popen(
        [str(site.bin / "frontdesk"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=site.cwd,
        env=site.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for(lambda: answers(base + "/health", serve), "/health")
        status, script = get(base + "/embed.js")
        assert status == 200 and "frontdesk" in script
        form_url = base + urllib.parse.urlsplit(clinic["request_link"]).path
        assert get(form_url)[0] == 200
        status, icelandic = get(form_url + "?lang=is")
        assert status == 200 and "Senda beiðni" in icelandic
        assert send_request(form_url)[0] == 200
        wait_for(lambda: len(mailbox.messages) >= 2, "the request's emails")
        assert {m["To"] for m in mailbox.messages} == {"sam@example.com", "owner@harbour.example"}
        assert "sent 0, failed 0" in site("send-mail")
    finally:
        stop(serve)
    assert serve.returncode == 128 + signal.SIGTERM

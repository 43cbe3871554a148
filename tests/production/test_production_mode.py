"""Production mode (FRONTDESK_ENV=production): the server will not start on settings that only suit a
developer's machine, names each one missing, and sends HSTS."""

import subprocess
import sys

import pytest
from frontdesk import create_app
from frontdesk.config import ConfigError

from tests.processes import DEADLINE

READY = {
    "ENV": "production",
    "SECRET_KEYS": ["k" * 48],
    "BASE_URL": "https://frontdesk.example",
    "MAIL_BACKEND": "smtp",
}


def production_app(tmp_path, **changes):
    return create_app(dict(READY, DATABASE_URL="sqlite:///" + str(tmp_path / "fd.db"), **changes))


def test_refuses_with_every_missing_setting_named(tmp_path):
    with pytest.raises(ConfigError) as refused:
        production_app(tmp_path, SECRET_KEYS=[], BASE_URL="http://127.0.0.1:5000", MAIL_BACKEND="file")
    message = str(refused.value)
    for name in ("FRONTDESK_SECRET_KEYS", "FRONTDESK_BASE_URL", "FRONTDESK_MAIL_BACKEND"):
        assert name in message
    assert not (tmp_path / "instance" / "secret_key").exists()


@pytest.mark.parametrize(
    "change, named",
    [
        ({"SECRET_KEYS": []}, "FRONTDESK_SECRET_KEYS is not set"),
        ({"SECRET_KEYS": ["changeme"]}, "FRONTDESK_SECRET_KEYS: the newest key is shorter"),
        ({"BASE_URL": "http://frontdesk.example"}, "FRONTDESK_BASE_URL must be the public https://"),
        ({"MAIL_BACKEND": "file"}, "FRONTDESK_MAIL_BACKEND must be a real backend"),
        ({"CALENDAR_FETCH_ALLOW_LOOPBACK": True}, "FRONTDESK_CALENDAR_FETCH_ALLOW_LOOPBACK is for tests"),
    ],
)
def test_refuses_each_missing_setting_alone(tmp_path, change, named):
    with pytest.raises(ConfigError) as refused:
        production_app(tmp_path, **change)
    assert named in str(refused.value)
    assert str(refused.value).count("\n  - ") == 1


def test_an_unknown_environment_is_refused_not_taken_for_development(tmp_path):
    with pytest.raises(ConfigError, match="FRONTDESK_ENV must be one of development, production"):
        production_app(tmp_path, ENV="prod")


def test_the_command_line_check_prints_the_message_without_a_traceback(tmp_path):
    env = {"FRONTDESK_ENV": "production", "FRONTDESK_MAIL_BACKEND": "smtp", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "from frontdesk import config; config.main()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )
    assert result.returncode == 1
    assert "FRONTDESK_SECRET_KEYS is not set" in result.stderr
    assert "FRONTDESK_BASE_URL" in result.stderr
    assert "FRONTDESK_MAIL_BACKEND" not in result.stderr
    assert "Traceback" not in result.stderr


def test_production_sends_hsts_and_development_does_not(tmp_path):
    response = production_app(tmp_path).test_client().get("/health")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    development = create_app({"DATABASE_URL": "sqlite:///" + str(tmp_path / "dev.db"), "SECRET_KEYS": ["dev"]})
    assert "Strict-Transport-Security" not in development.test_client().get("/health").headers

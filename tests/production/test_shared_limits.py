"""Rate limits across app processes: with FRONTDESK_RATELIMIT_STORAGE=redis://… two processes (two
create_app calls, as on two hosts) count one login limit together; without it each counts its own."""

import os
import subprocess
import sys

import pytest

from tests.conftest import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIMIT = 3


def attempts(app, count, key_prefix, storage=None):
    """Wrong-password sign-ins from a new app process; their status codes."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_DATABASE_URL=app.config["DATABASE_URL"],
        FRONTDESK_INSTANCE_PATH=app.instance_path,
        FRONTDESK_SECRET_KEYS="test-key",
        FRONTDESK_LOGIN_RATE_LIMIT=f"{LIMIT} per minute",
    )
    if storage:
        env["FRONTDESK_RATELIMIT_STORAGE"] = storage
    result = subprocess.run(
        [sys.executable, "-m", "tests.production.login_attempts", str(count), key_prefix],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [int(line) for line in result.stdout.split()]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_two_processes_share_one_login_limit_through_redis(app, clinic, redis_url, key_prefix):
    assert attempts(app, LIMIT, key_prefix, redis_url) == [401] * LIMIT
    assert attempts(app, 1, key_prefix, redis_url) == [429]
    import redis

    assert redis.Redis.from_url(redis_url).keys(f"*{key_prefix}*")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_without_shared_storage_each_process_counts_its_own(app, clinic, key_prefix):
    assert attempts(app, LIMIT, key_prefix) == [401] * LIMIT
    assert attempts(app, 1, key_prefix) == [401]
    assert attempts(app, LIMIT + 1, key_prefix) == [401] * LIMIT + [429]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_redis_down_falls_back_to_memory_instead_of_failing(app, clinic, key_prefix):
    assert attempts(app, LIMIT + 1, key_prefix, f"redis://127.0.0.1:{free_port()}/0") == [401] * LIMIT + [429]

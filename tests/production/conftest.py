"""Fixtures for the production tests: a Redis server for shared rate limits.

Like PostgreSQL's in tests/conftest.py: FRONTDESK_TEST_REDIS_URL names the server; without it (or when
it does not answer) those tests skip with the reason, except under CI=true, where they fail.
"""

import os
import uuid

import pytest

from tests.conftest import missing

REDIS_URL = os.environ.get("FRONTDESK_TEST_REDIS_URL")


@pytest.fixture
def redis_url():
    """The test Redis server's URL, checked to answer."""
    if not REDIS_URL:
        missing("FRONTDESK_TEST_REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        missing(f"no Redis answers at {REDIS_URL}: {error}")
    return REDIS_URL


@pytest.fixture
def key_prefix():
    """A rate-limit key prefix of this test's own, so runs side by side never share counters."""
    return f"frontdesk-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"

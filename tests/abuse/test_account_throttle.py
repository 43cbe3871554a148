"""Guessing through the other doors of an account is throttled like the password: the reset form and the
second sign-in step each take LOGIN_RATE_LIMIT (10 a minute) per address, then 429 and nothing more."""

import pyotp
from frontdesk import accounts
from frontdesk.models import MemberSession, Professional

from tests.abuse.test_login_throttle import throttled  # noqa: F401  (the fixture: an app with limits on)
from tests.conftest import outbox
from tests.pages import csrf_token

ADDRESS = {"REMOTE_ADDR": "203.0.113.7"}


def limit(app):
    return int(app.config["LOGIN_RATE_LIMIT"].split()[0])


def test_a_flood_of_reset_requests_is_throttled_and_queues_nothing_more(throttled):  # noqa: F811
    client = throttled.test_client()
    statuses = []
    for n in range(limit(throttled) + 1):
        token = csrf_token(client.get("/workstation/reset"))
        response = client.post(
            "/workstation/reset", data={"email": f"guess{n}@example.com", "csrf_token": token}, environ_base=ADDRESS
        )
        statuses.append(response.status_code)
    assert statuses == [200] * limit(throttled) + [429]
    assert len(outbox()) == limit(throttled)


def test_guessing_second_step_codes_is_throttled(throttled, clinic):  # noqa: F811
    owner = Professional.get(Professional.email == "owner@harbour.example")
    Professional.update(totp_secret=pyotp.random_base32()).execute()
    client = throttled.test_client()
    token = csrf_token(client.get("/workstation/login"))
    signed = client.post(
        "/workstation/login",
        data={"email": owner.email, "password": "owner-password", "csrf_token": token},
        environ_base={"REMOTE_ADDR": "198.51.100.20"},
    )
    assert "/workstation/login/code" in signed.headers["Location"]
    statuses = []
    for _attempt in range(limit(throttled) + 1):
        # A fresh half-finished sign-in each time, so the five-wrong-codes rule does not end it first.
        MemberSession.update(failed_codes=0).execute()
        token = csrf_token(client.get("/workstation/login/code"))
        response = client.post(
            "/workstation/login/code", data={"code": "123456x", "csrf_token": token}, environ_base=ADDRESS
        )
        statuses.append(response.status_code)
    assert statuses[-1] == 429 and set(statuses[:-1]) == {401}
    assert accounts.sessions_of(owner) == []

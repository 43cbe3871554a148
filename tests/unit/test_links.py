"""Signed links and form tokens: what verifies, what does not, and why."""

import time
from types import SimpleNamespace

import pytest
from frontdesk import links

KEYS = ["newest-key", "older-key"]


def clinic(id=7, version=1):
    return SimpleNamespace(id=id, request_link_version=version)


def test_request_token_round_trips_and_carries_ids_only():
    token = links.request_token(KEYS, clinic(7, 3))
    assert links.read_request_token(KEYS, token) == (7, 3)
    assert "@" not in token and "Harbour" not in token


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1],  # truncated
        lambda t: t[:-2] + ("A" if t[-2] != "A" else "B") + t[-1],  # one character changed
        lambda t: "x" + t,  # tampered payload
        lambda t: "",  # empty
        lambda t: t.split(".")[0],  # signature cut off
    ],
)
def test_tampered_request_tokens_are_invalid(mangle):
    token = links.request_token(KEYS, clinic())
    with pytest.raises(links.InvalidLink):
        links.read_request_token(KEYS, mangle(token))


def test_a_token_signed_with_an_older_key_still_verifies_and_a_dropped_key_does_not():
    old_token = links.request_token(["older-key"], clinic())
    assert links.read_request_token(KEYS, old_token) == (7, 1)
    with pytest.raises(links.InvalidLink):
        links.read_request_token(["newest-key"], old_token)


def test_new_tokens_are_signed_with_the_newest_key():
    token = links.request_token(KEYS, clinic())
    assert links.read_request_token(["newest-key"], token) == (7, 1)


def test_a_token_of_one_kind_never_verifies_as_another():
    form = links.form_token(KEYS, "link")
    with pytest.raises(links.InvalidLink):
        links.read_request_token(KEYS, form)


def test_rotated_link_versions_are_replaced():
    links.check_version(2, 2)
    with pytest.raises(links.ReplacedLink):
        links.check_version(1, 2)


def test_form_token_gives_a_fresh_nonce_for_its_own_link_only():
    first, second = links.form_token(KEYS, "link-a"), links.form_token(KEYS, "link-a")
    nonce_1 = links.read_form_token(KEYS, first, "link-a", max_age=60, min_seconds=0)
    nonce_2 = links.read_form_token(KEYS, second, "link-a", max_age=60, min_seconds=0)
    assert nonce_1 != nonce_2
    with pytest.raises(links.InvalidLink):
        links.read_form_token(KEYS, first, "link-b", max_age=60, min_seconds=0)


def test_form_token_too_fast_and_too_old():
    token = links.form_token(KEYS, "link")
    with pytest.raises(links.TooFast):
        links.read_form_token(KEYS, token, "link", max_age=60, min_seconds=3)
    assert links.read_form_token(KEYS, token, "link", max_age=60, min_seconds=3, now=time.time() + 5)
    with pytest.raises(links.ExpiredLink):
        links.read_form_token(KEYS, token, "link", max_age=-1, min_seconds=0)


def test_redact_keeps_logs_free_of_usable_tokens():
    token = links.request_token(KEYS, clinic())
    assert links.redact(token) != token and len(links.redact(token)) <= 9

"""server/accounts.py on each database: sign-ins that end, reset links that die once used, and second-step
codes that work once."""

import datetime

import pyotp
import pytest
from frontdesk import accounts
from frontdesk.models import MemberSession, Professional, RecoveryCode, utcnow
from werkzeug.security import check_password_hash

from tests.conftest import add_professional, outbox, snapshot

IDLE, MAX_HOURS = 120, 12
KEYS = ["test-key-newest", "test-key-older"]


def owner_of(clinic):
    return Professional.get(Professional.clinic == clinic, Professional.role == "owner")


def live(token, now=None):
    return accounts.session_for(token, IDLE, MAX_HOURS, now)


@pytest.fixture
def ada(clinic):
    return owner_of(clinic)


def test_a_session_keeps_only_the_tokens_digest(ada):
    token = accounts.start_session(ada, "Mozilla/5.0 (Windows NT 10.0) Firefox/130.0", "203.0.113.77")
    row = MemberSession.get()
    assert token not in row.token_hash and len(row.token_hash) == 64
    assert row.network == "203.0.113.0/24" and live(token).professional.id == ada.id
    assert accounts.device_label(row.user_agent) == ("Firefox", "Windows")


def test_addresses_are_kept_as_their_network_only():
    assert accounts._network("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert accounts._network("not an address") == ""


@pytest.mark.parametrize("token", [None, "", "unknown-token", 12345])
def test_an_unknown_token_signs_in_no_one(ada, token):
    accounts.start_session(ada)
    assert live(token) is None


def test_ending_one_session_leaves_the_others(ada):
    laptop, phone = accounts.start_session(ada), accounts.start_session(ada)
    accounts.end_session(laptop)
    assert live(laptop) is None and live(phone) is not None


def test_end_all_sessions_ends_every_one_of_that_member_only(ada, clinic):
    ben = add_professional(clinic, "ben@harbour.example")
    mine = [accounts.start_session(ada) for _ in range(3)]
    bens = accounts.start_session(ben)
    keep = live(mine[0])
    assert accounts.end_all_sessions(ada, keep=keep) == 2
    assert live(mine[0]) is not None and live(mine[1]) is None and live(bens) is not None
    accounts.end_all_sessions(ada)
    assert live(mine[0]) is None and live(bens) is not None


def test_a_session_ends_when_idle_or_too_old_and_its_row_goes(ada):
    token = accounts.start_session(ada)
    now = utcnow()
    assert live(token, now + datetime.timedelta(minutes=IDLE - 1)) is not None
    assert live(token, now + datetime.timedelta(minutes=IDLE - 1) * 2) is not None, "each use restarts the idle clock"
    assert live(token, now + datetime.timedelta(hours=MAX_HOURS, minutes=1)) is None
    assert MemberSession.select().count() == 0


def test_a_half_finished_sign_in_waits_ten_minutes_at_most(ada):
    token = accounts.start_session(ada, awaiting_code=True)
    assert live(token).awaiting_code
    assert live(token, utcnow() + datetime.timedelta(minutes=accounts.CODE_WAIT_MINUTES + 1)) is None


def test_pruning_deletes_only_sign_ins_that_can_no_longer_be_used(ada):
    fresh = accounts.start_session(ada)
    accounts.start_session(ada)
    MemberSession.update(last_used_at=utcnow() - datetime.timedelta(minutes=IDLE + 5)).where(
        MemberSession.id == MemberSession.select().order_by(MemberSession.id.desc()).get().id
    ).execute()
    assert accounts.prune_sessions(IDLE, MAX_HOURS) == 1
    assert live(fresh) is not None


def test_a_password_change_needs_the_current_one_and_ends_the_others(ada):
    here, there = accounts.start_session(ada), accounts.start_session(ada)
    before = snapshot()
    with pytest.raises(accounts.WrongPassword):
        accounts.change_password(live(here), "wrong", "a new password")
    with pytest.raises(accounts.WeakPassword):
        accounts.change_password(live(here), "owner-password", "short")
    assert snapshot()["Professional"] == before["Professional"]
    accounts.change_password(live(here), "owner-password", "a new password")
    assert check_password_hash(Professional.get_by_id(ada.id).password_hash, "a new password")
    assert live(here) is not None and live(there) is None


def test_a_reset_link_works_once_and_ends_every_session(ada):
    token = accounts.start_session(ada)
    link = accounts.reset_token(KEYS, ada)
    assert accounts.member_for_reset(KEYS, link).id == ada.id
    accounts.reset_password(KEYS, link, "reset password")
    assert live(token) is None
    with pytest.raises(accounts.UsedReset):
        accounts.member_for_reset(KEYS, link)
    with pytest.raises(accounts.UsedReset):
        accounts.reset_password(KEYS, link, "another password")


def test_a_reset_link_signed_with_a_retired_key_or_tampered_is_invalid(ada):
    link = accounts.reset_token(["a-key-we-no-longer-hold"], ada)
    for bad in (link, accounts.reset_token(KEYS, ada)[:-2], "garbage"):
        with pytest.raises(accounts.InvalidReset) as caught:
            accounts.member_for_reset(KEYS, bad)
        assert type(caught.value) is accounts.InvalidReset


def test_a_reset_link_expires_after_an_hour(ada):
    link = accounts.reset_token(KEYS, ada)
    with pytest.raises(accounts.ExpiredReset):
        accounts.member_for_reset(KEYS, link, max_age=-1)


def test_a_weak_reset_password_changes_nothing(ada):
    before = snapshot()
    with pytest.raises(accounts.WeakPassword):
        accounts.reset_password(KEYS, accounts.reset_token(KEYS, ada), "x" * (accounts.PASSWORD_MAX_LENGTH + 1))
    assert snapshot() == before


def test_a_reset_request_queues_one_email_whether_or_not_the_address_is_known(ada):
    accounts.request_password_reset(KEYS, "Owner@Harbour.example ", "en", lambda t: f"https://x.test/{t}")
    accounts.request_password_reset(KEYS, "stranger@example.com", "en", lambda t: f"https://x.test/{t}")
    known, unknown = outbox()
    assert known.subject == unknown.subject and known.to_address == ada.email
    assert "https://x.test/" in known.text_body and "https://x.test/" not in unknown.text_body


# --- two-step sign-in ------------------------------------------------------------------------------


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc)


@pytest.fixture
def two_factor(ada):
    """Ada with two-step sign-in on: (secret, recovery codes, the time step the set-up used)."""
    session = live(accounts.start_session(ada))
    secret = accounts.begin_two_factor_setup(session)
    when = now_utc()
    codes = accounts.confirm_two_factor(session, pyotp.TOTP(secret).at(when), now=when)
    return secret, codes, when


def half_signed_in(ada):
    return live(accounts.start_session(ada, awaiting_code=True))


def test_setting_up_keeps_ten_hashed_codes_and_the_secret(ada, two_factor):
    secret, codes, _ = two_factor
    assert Professional.get_by_id(ada.id).totp_secret == secret
    hashes = [row.code_hash for row in RecoveryCode.select()]
    assert len(hashes) == 10 and not set(codes) & set(hashes)
    assert accounts.recovery_codes_left(ada) == 10


def test_a_wrong_first_code_turns_nothing_on(ada):
    session = live(accounts.start_session(ada))
    secret = accounts.begin_two_factor_setup(session)
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    with pytest.raises(accounts.WrongCode):
        accounts.confirm_two_factor(session, wrong)
    assert Professional.get_by_id(ada.id).totp_secret is None and RecoveryCode.select().count() == 0


def test_a_code_works_once_in_its_window(ada, two_factor):
    secret, _, when = two_factor
    later = when + datetime.timedelta(seconds=30)
    code = pyotp.TOTP(secret).at(later)
    token = accounts.finish_sign_in(half_signed_in(ada), code, now=later)
    assert not live(token).awaiting_code
    with pytest.raises(accounts.WrongCode):
        accounts.finish_sign_in(half_signed_in(ada), code, now=later)
    with pytest.raises(accounts.WrongCode):  # nor an older one
        accounts.finish_sign_in(half_signed_in(ada), pyotp.TOTP(secret).at(when), now=later)


def test_a_recovery_code_works_once_in_any_spelling(ada, two_factor):
    _, codes, _ = two_factor
    accounts.finish_sign_in(half_signed_in(ada), " " + codes[3].upper().replace("-", " ") + " ")
    with pytest.raises(accounts.WrongCode):
        accounts.finish_sign_in(half_signed_in(ada), codes[3])
    assert accounts.recovery_codes_left(ada) == 9


def test_five_wrong_codes_end_the_half_finished_sign_in(ada, two_factor):
    session = half_signed_in(ada)
    for _attempt in range(accounts.WRONG_CODES_ALLOWED - 1):
        with pytest.raises(accounts.WrongCode) as caught:
            accounts.finish_sign_in(session, "abcdef")
        assert type(caught.value) is accounts.WrongCode
    with pytest.raises(accounts.TooManyCodes):
        accounts.finish_sign_in(session, "abcdef")
    assert MemberSession.get_or_none(MemberSession.id == session.id) is None


def test_turning_two_factor_off_needs_the_password(ada, two_factor):
    with pytest.raises(accounts.WrongPassword):
        accounts.turn_off_two_factor(ada, "nope")
    accounts.turn_off_two_factor(ada, "owner-password")
    assert Professional.get_by_id(ada.id).totp_secret is None and RecoveryCode.select().count() == 0


def test_a_required_clinic_leads_members_without_it_to_set_up(ada, clinic):
    accounts.require_two_factor(clinic, True)
    assert accounts.needs_two_factor_setup(Professional.get_by_id(ada.id))


def test_the_qr_code_is_inline_svg_with_the_issuer(ada):
    uri = accounts.setup_uri(ada, pyotp.random_base32())
    assert uri.startswith("otpauth://totp/Frontdesk:") and "issuer=Frontdesk" in uri
    svg = accounts.qr_svg(uri)
    assert svg.startswith("<svg") and "http" not in svg.split(">", 1)[1]

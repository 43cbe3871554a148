"""A member's own account over HTTP: sign-ins that end on the server (a copied cookie dies with them),
password change and reset by email, and two-step sign-in with an authenticator app and recovery codes.
Every bad input gets its message and changes nothing."""

import re
import time

import pyotp
import pytest
from frontdesk import accounts
from frontdesk.models import Clinic, MemberSession, Professional

from tests.conftest import Auth, add_professional, outbox, snapshot
from tests.pages import texts

from .conftest import text

LOGIN = "/workstation/login"
ACCOUNT = "/workstation/account"
SETUP = "/workstation/account/two-factor"
COOKIE = "frontdesk_workstation"
OWNER = "owner@harbour.example"


def signed_in(client):
    return client.get("/workstation/requests").status_code == 200


def copy_of(app, client):
    """Another browser holding a copy of this browser's workstation cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def owner_row():
    return Professional.get(Professional.email == OWNER)


# --- sessions on the server ------------------------------------------------------------------------


def test_the_cookie_carries_a_token_and_no_member_id(client, owner):
    """The workstation cookie holds a random token whose digest the server keeps, not the member's id."""
    cookie = client.get_cookie(COOKIE).value
    row = MemberSession.get()
    assert row.professional_id == owner_row().id and row.token_hash not in cookie
    assert "professional_id" not in cookie


def test_a_copied_cookie_stops_working_after_sign_out(app, client, owner):
    thief = copy_of(app, client)
    assert signed_in(thief)
    owner.post("/workstation/logout")
    assert not signed_in(thief) and not signed_in(client)
    assert MemberSession.select().count() == 0


def test_sign_out_everywhere_ends_every_browser(app, client, owner):
    """Signed in on two browsers (and a copy of one cookie): "Sign out everywhere" on one ends all three."""
    laptop = Auth(app.test_client())
    assert laptop.login().status_code == 302
    thief = copy_of(app, laptop.client)
    page = text(client.get(ACCOUNT))
    assert "Where you are signed in" in page and page.count("This browser") == 1
    response = owner.post("/workstation/account/sign-out-everywhere", page=ACCOUNT)
    assert response.headers["Location"].endswith(LOGIN)
    assert "You are signed out everywhere." in text(client.get(LOGIN))
    assert not any(signed_in(c) for c in (client, laptop.client, thief))


def test_a_sign_in_ends_after_inactivity_and_after_its_lifetime(app, client, owner):
    row = MemberSession.get()
    idle = app.config["SESSION_IDLE_MINUTES"]
    MemberSession.update(last_used_at=row.last_used_at - accounts.datetime.timedelta(minutes=idle + 1)).execute()
    assert not signed_in(client)
    assert Auth(client).login().status_code == 302
    hours = app.config["SESSION_MAX_HOURS"]
    row = MemberSession.get()
    MemberSession.update(created_at=row.created_at - accounts.datetime.timedelta(hours=hours, minutes=1)).execute()
    assert not signed_in(client)


def test_a_member_deleted_and_an_id_reused_inherits_no_sign_in(app, client, clinic):
    """A sign-in belongs to its row: when the member is gone their sessions go too, and a new member who gets
    the same id is not signed in by the old cookie."""
    ben = add_professional(clinic, "ben@harbour.example")
    auth = Auth(client)
    assert auth.login("ben@harbour.example", "staff-password").status_code == 302
    old_id = ben.id
    ben.delete_instance()
    add_professional(clinic, "cara@harbour.example", name="Cara Lind").__class__.update(id=old_id).where(
        Professional.email == "cara@harbour.example"
    ).execute()
    assert not signed_in(client)


# --- password change -------------------------------------------------------------------------------


def change(owner, current, new, repeat=None):
    return owner.post(
        "/workstation/account/password",
        {"current": current, "password": new, "repeat": new if repeat is None else repeat},
        page=ACCOUNT,
    )


@pytest.mark.parametrize(
    "current, new, repeat, message",
    [
        ("wrong-password", "a brand new password", None, "That is not your current password."),
        ("owner-password", "short", None, "Please use at least 8 and at most 200 characters."),
        ("owner-password", "a brand new password", "another one", "The two new passwords are not the same."),
        ("owner-password", "owner-password", None, "Please choose a password different from the current one."),
        ("", "a brand new password", None, "Please fill in this field."),
    ],
)
def test_a_bad_password_change_says_why_and_changes_nothing(app, client, owner, current, new, repeat, message):
    laptop = Auth(app.test_client())
    laptop.login()
    before = snapshot()
    response = change(owner, current, new, repeat)
    assert response.status_code == 400 and message in text(response)
    after = snapshot()
    for rows in (before, after):  # the page view itself notes when the sign-in was last used
        for row in rows["MemberSession"]:
            row.pop("last_used_at")
    assert after == before
    assert signed_in(laptop.client)


def test_a_password_change_signs_out_every_other_browser(app, client, owner):
    laptop = Auth(app.test_client())
    laptop.login()
    thief = copy_of(app, laptop.client)
    response = change(owner, "owner-password", "a brand new password")
    assert response.status_code == 302
    assert "Every other browser is now signed out." in text(client.get(ACCOUNT))
    assert signed_in(client) and not signed_in(laptop.client) and not signed_in(thief)
    assert Auth(app.test_client()).login(OWNER, "owner-password").status_code == 401
    assert Auth(app.test_client()).login(OWNER, "a brand new password").status_code == 302


# --- password reset by email -----------------------------------------------------------------------


def ask_for_reset(client, email):
    auth = Auth(client)
    return client.post("/workstation/reset", data={"email": email, "csrf_token": auth.csrf("/workstation/reset")})


def reset_link(message):
    return re.search(r"http://frontdesk\.test(/workstation/reset/\S+)", message.text_body).group(1)


def test_the_sign_in_page_offers_a_reset(client, clinic):
    assert "Forgot your password?" in texts(client.get(LOGIN), "a")


def test_a_known_and_an_unknown_address_get_the_same_answer_and_the_same_work(client, clinic):
    """The page reads the same word for word, and each queues one email: a link to the member, a note that no
    account uses it to the stranger. Neither subject names anyone."""
    known = ask_for_reset(client, OWNER)
    unknown = ask_for_reset(client, "nobody@harbour.example")
    assert known.status_code == unknown.status_code == 200
    strip = re.compile(r'name="csrf_token" value="[^"]*"')
    assert strip.sub("", text(known)) == strip.sub("", text(unknown))
    assert "an email with a link to choose a new password is on its way" in text(known)
    to_member, to_stranger = outbox()
    assert (to_member.to_address, to_stranger.to_address) == (OWNER, "nobody@harbour.example")
    assert to_member.subject == to_stranger.subject == "Resetting your Frontdesk password"
    assert "/workstation/reset/" in to_member.text_body and "/workstation/reset/" not in to_stranger.text_body
    assert "no workstation account uses it" in to_stranger.text_body


@pytest.mark.parametrize("email", ["", "not an address", "owner@harbour.example\r\nBcc: x@evil.example"])
def test_a_bad_address_is_refused_and_sends_nothing(client, clinic, email):
    before = snapshot()
    response = ask_for_reset(client, email)
    assert response.status_code == 400
    assert "Please fill in this field." in text(response) or "Please enter a valid email address" in text(response)
    assert snapshot() == before


def test_a_reset_link_sets_a_new_password_once_and_signs_out_everywhere(app, client, owner):
    stranger = app.test_client()
    ask_for_reset(stranger, OWNER)
    path = reset_link(outbox(OWNER)[-1])
    page = stranger.get(path)
    assert page.status_code == 200 and "Choose a new password" in text(page)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    token = Auth(stranger).csrf(path)
    response = stranger.post(
        path, data={"password": "reset password 1", "repeat": "reset password 1", "csrf_token": token}
    )
    assert response.headers["Location"].endswith(LOGIN)
    assert not signed_in(client)
    assert Auth(app.test_client()).login(OWNER, "reset password 1").status_code == 302
    again = stranger.get(path)
    assert again.status_code == 410 and "This link was already used" in text(again)
    before = snapshot()
    replay = stranger.post(
        path, data={"password": "reset password 2", "repeat": "reset password 2", "csrf_token": token}
    )
    assert replay.status_code == 410 and snapshot() == before


def test_a_tampered_or_expired_reset_link_gets_a_clean_page(app, client, clinic, monkeypatch):
    ask_for_reset(client, OWNER)
    path = reset_link(outbox(OWNER)[-1])
    tampered = client.get(path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"))
    assert tampered.status_code == 404 and "This link is not complete" in text(tampered)
    assert client.get("/workstation/reset/garbage").status_code == 404
    real_time = time.time
    with monkeypatch.context() as past:
        past.setattr(time, "time", lambda: real_time() - accounts.RESET_MAX_AGE - 60)
        old = accounts.reset_token(app.config["SECRET_KEYS"], owner_row())
    expired = client.get(f"/workstation/reset/{old}")
    assert expired.status_code == 410 and "This link has expired" in text(expired)
    assert "Ask for a new link" in texts(expired, "a")


def test_a_weak_new_password_on_the_reset_page_changes_nothing(client, clinic):
    ask_for_reset(client, OWNER)
    path = reset_link(outbox(OWNER)[-1])
    token = Auth(client).csrf(path)
    before = snapshot()
    response = client.post(path, data={"password": "short", "repeat": "short", "csrf_token": token})
    assert response.status_code == 400 and "Please use at least 8" in text(response)
    assert snapshot() == before


def test_the_reset_email_is_in_the_clinics_language_with_no_personal_data_in_its_subject(client, clinic):
    Clinic.update(default_language="de").execute()
    ask_for_reset(client, OWNER)
    message = outbox()[-1]
    assert "Ada" not in message.subject and OWNER not in message.subject
    assert "Guten Tag Ada Byrne" in message.text_body


# --- two-step sign-in ------------------------------------------------------------------------------


def set_up_two_factor(owner, client):
    """Scan (read the key off the page), type the app's code; returns (secret, recovery codes)."""
    page = client.get(SETUP)
    assert page.status_code == 200 and "<svg" in text(page)
    secret = texts(page, "p", **{"class": "secret-key"})[0].replace(" ", "")
    response = owner.post(SETUP, {"code": pyotp.TOTP(secret).now()}, page=SETUP)
    assert response.status_code == 200, text(response)
    codes = texts(response, "li")[-accounts.RECOVERY_CODES :]
    assert len(set(codes)) == accounts.RECOVERY_CODES
    return secret, codes


def code_step(client, code, next_path=None):
    path = "/workstation/login/code" + (f"?next={next_path}" if next_path else "")
    return client.post(path, data={"code": code, "csrf_token": Auth(client).csrf("/workstation/login/code")})


def next_code(secret):
    """The code of the next time step: still accepted (clocks drift), and unspent by the set-up, whose code
    this step's is."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(accounts.datetime.datetime.now(accounts.datetime.timezone.utc)) + 1)


def test_setting_up_two_factor_then_signing_in_in_two_steps(app, client, owner):
    laptop = Auth(app.test_client())
    laptop.login()
    secret, codes = set_up_two_factor(owner, client)
    assert not signed_in(laptop.client), "a browser signed in with the password alone is signed out"
    assert "2 recovery codes" not in text(client.get(ACCOUNT)) and "10 recovery codes left." in text(
        client.get(ACCOUNT)
    )
    phone = app.test_client()
    first = Auth(phone).login()
    assert first.status_code == 302 and "/workstation/login/code" in first.headers["Location"]
    assert not signed_in(phone), "the password alone reaches nothing"
    wrong = code_step(phone, "000000" if next_code(secret) != "000000" else "111111")
    assert wrong.status_code == 401 and "That code is not right" in text(wrong)
    assert code_step(phone, next_code(secret)).status_code == 302
    assert signed_in(phone)


def test_a_code_cannot_be_replayed_and_a_recovery_code_works_once(app, client, owner):
    secret, codes = set_up_two_factor(owner, client)
    # The code the set-up spent (read from its step, not the clock: the step may have turned since).
    used = pyotp.TOTP(secret).generate_otp(
        Professional.get(Professional.email == "owner@harbour.example").totp_last_step
    )
    other = app.test_client()
    Auth(other).login()
    replay = code_step(other, used)
    assert replay.status_code == 401 and not signed_in(other)
    assert code_step(other, codes[0].upper().replace("-", " ")).status_code == 302
    assert signed_in(other)
    third = app.test_client()
    Auth(third).login()
    assert code_step(third, codes[0]).status_code == 401
    assert "9 recovery codes left." in text(client.get(ACCOUNT))


def test_five_wrong_codes_end_the_half_finished_sign_in(app, client, owner):
    secret, _ = set_up_two_factor(owner, client)
    phone = app.test_client()
    Auth(phone).login()
    for _attempt in range(accounts.WRONG_CODES_ALLOWED - 1):
        assert code_step(phone, "12345x").status_code == 401
    response = code_step(phone, "12345x")
    assert response.headers["Location"].endswith(LOGIN)
    assert phone.get("/workstation/login/code").headers["Location"].startswith(LOGIN)
    assert not signed_in(phone)


def test_the_code_step_keeps_where_the_member_was_going(app, client, owner):
    secret, _ = set_up_two_factor(owner, client)
    phone = app.test_client()
    auth = Auth(phone)
    token = auth.csrf(LOGIN)
    first = phone.post(
        LOGIN + "?next=/workstation/clients", data={"email": OWNER, "password": "owner-password", "csrf_token": token}
    )
    assert "next=/workstation/clients" in first.headers["Location"]
    assert code_step(phone, next_code(secret), "/workstation/clients").headers["Location"] == "/workstation/clients"


def test_turning_two_factor_off_needs_the_password(client, owner):
    set_up_two_factor(owner, client)
    wrong = owner.post("/workstation/account/two-factor/off", {"current": "wrong-password"}, page=ACCOUNT)
    assert wrong.status_code == 400 and "That is not your current password." in text(wrong)
    assert owner_row().totp_secret is not None
    right = owner.post("/workstation/account/two-factor/off", {"current": "owner-password"}, page=ACCOUNT)
    assert right.status_code == 302 and owner_row().totp_secret is None
    assert Auth(client).login().headers["Location"].endswith("/workstation/requests")


def test_a_wrong_first_code_does_not_turn_two_factor_on(client, owner):
    client.get(SETUP)
    response = owner.post(SETUP, {"code": "999999x"}, page=SETUP)
    assert response.status_code == 400 and "That code does not match" in text(response)
    assert owner_row().totp_secret is None


def test_the_owner_requires_two_factor_and_a_colleague_must_set_it_up(app, client, owner, staff):
    response = owner.post("/workstation/account/require-two-factor", {"require_two_factor": "y"}, page=ACCOUNT)
    assert response.status_code == 302 and Clinic.get().require_two_factor
    for path in ("/workstation/requests", "/workstation/clients", ACCOUNT):
        assert staff.client.get(path).headers["Location"].endswith(SETUP), path
    set_up_two_factor(staff, staff.client)
    assert signed_in(staff.client)
    off = staff.post("/workstation/account/two-factor/off", {"current": "staff-password"}, page=ACCOUNT)
    assert off.status_code == 302 and Professional.get(Professional.email == "ben@harbour.example").totp_secret


def test_only_the_owner_may_require_two_factor(staff, clinic):
    before = snapshot()
    response = staff.post("/workstation/account/require-two-factor", {"require_two_factor": "y"}, page=ACCOUNT)
    assert response.status_code == 403
    assert snapshot()["Clinic"] == before["Clinic"]


def test_account_pages_act_on_the_signed_in_member_and_clinic_only(app, client, owner, other_clinic):
    """The account routes take no ids: whatever the form says, they change only the member's own rows and
    clinic (the tenancy sweep's point, for routes it cannot reach by id)."""
    other = Auth(app.test_client())
    other.login("owner@fjord.example", "fjord-password")
    owner.post("/workstation/account/require-two-factor", {"require_two_factor": "y", "clinic": other_clinic.id})
    assert not Clinic.get_by_id(other_clinic.id).require_two_factor and signed_in(other.client)
    owner.post("/workstation/account/sign-out-everywhere", {"professional": other_clinic.id}, page=SETUP)
    assert signed_in(other.client) and not signed_in(client)

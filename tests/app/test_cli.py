"""The `frontdesk` command line, as the README and scripts use it (DESIGN.md, "The command line")."""

import datetime
import email
import json
import os
import socket

from frontdesk import urls
from frontdesk.models import Appointment, Clinic, Hub, OutboxMessage, Professional, Request, utcnow

from tests.conftest import Auth, outbox

from .conftest import next_july_day, path_of, text
from .test_booking import book


def run(runner, *args):
    return runner.invoke(args=list(args))


def can_sign_in(app, email_address, password):
    return Auth(app.test_client()).login(email_address, password).status_code == 302


# --- demo ----------------------------------------------------------------------------------------


def test_demo_prints_links_and_a_login_that_work(app, runner):
    """`frontdesk demo` creates the demo clinic and prints its request link and a login that both work."""
    result = run(runner, "demo")
    assert result.exit_code == 0, result.output
    lines = dict(line.split(":", 1) for line in result.output.splitlines() if ":" in line)
    request_link = lines["Request link"].strip()
    login_email, login_password = (part.strip() for part in lines["Login"].split(" / "))
    form = app.test_client().get(path_of(request_link))
    assert form.status_code == 200 and Clinic.get().name in text(form)
    assert can_sign_in(app, login_email, login_password)


def test_demo_json_gives_every_link_and_the_login(app, runner):
    """`frontdesk demo --json` prints the slug, the links, the workstation address and the login as JSON,
    and the demo clinic has requests waiting and a session booked."""
    result = run(runner, "demo", "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert set(info) == {"slug", "request_link", "booking_link", "hub_link", "workstation_url", "login"}
    clinic = Clinic.get(Clinic.slug == info["slug"])
    assert info["request_link"] == urls.request_link(clinic)
    assert app.test_client().get(path_of(info["request_link"])).status_code == 200
    assert info["workstation_url"] == "http://frontdesk.test/workstation/login"
    assert can_sign_in(app, info["login"]["email"], info["login"]["password"])
    assert Request.select().where(Request.clinic == clinic, Request.status == "pending").exists()
    assert Appointment.select().where(Appointment.clinic == clinic, Appointment.status == "booked").exists()


def test_demo_twice_keeps_one_demo_clinic(runner):
    """Running `frontdesk demo` again (as `make run` does each time) prints the same clinic and adds nothing."""
    first = json.loads(run(runner, "demo", "--json").output)
    counts = (Clinic.select().count(), Request.select().count(), Appointment.select().count())
    second = json.loads(run(runner, "demo", "--json").output)
    assert second["slug"] == first["slug"] and second["request_link"] == first["request_link"]
    assert (Clinic.select().count(), Request.select().count(), Appointment.select().count()) == counts


# --- clinic create -------------------------------------------------------------------------------


def test_clinic_create_json_makes_a_clinic_ready_to_use(app, runner):
    """`frontdesk clinic create --json` makes a clinic whose request link opens and whose owner can sign in."""
    result = run(
        runner,
        "clinic",
        "create",
        "--name",
        "Quay Therapy",
        "--owner-email",
        "lena@quay.example",
        "--owner-password",
        "quay-password",
        "--timezone",
        "Europe/Dublin",
        "--json",
    )
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert set(info) == {"slug", "request_link", "booking_link", "workstation_url"}
    clinic = Clinic.get(Clinic.slug == info["slug"])
    assert (clinic.name, clinic.timezone, info["slug"]) == ("Quay Therapy", "Europe/Dublin", "quay-therapy")
    form = app.test_client().get(path_of(info["request_link"]))
    assert form.status_code == 200 and "Quay Therapy" in text(form)
    assert can_sign_in(app, "lena@quay.example", "quay-password")
    assert Professional.get(Professional.email == "lena@quay.example").role == "owner"


def test_two_clinics_with_one_name_get_different_slugs(runner):
    """A second clinic with the same name gets its own slug and its own link."""
    first = json.loads(
        run(
            runner,
            "clinic",
            "create",
            "--name",
            "Quay Therapy",
            "--owner-email",
            "a@quay.example",
            "--owner-password",
            "password-a",
            "--json",
        ).output
    )
    second = json.loads(
        run(
            runner,
            "clinic",
            "create",
            "--name",
            "Quay Therapy",
            "--owner-email",
            "b@quay.example",
            "--owner-password",
            "password-b",
            "--json",
        ).output
    )
    assert first["slug"] != second["slug"] and first["request_link"] != second["request_link"]


def test_clinic_create_refuses_what_it_cannot_do(runner, clinic):
    """A taken owner email, an unknown timezone or a short password is refused with a message; nothing is made."""
    cases = [
        (
            ["--owner-email", "owner@harbour.example", "--owner-password", "long-enough"],
            "already has a workstation login",
        ),
        (
            ["--owner-email", "new@quay.example", "--owner-password", "long-enough", "--timezone", "Mars/Olympus"],
            "unknown timezone",
        ),
        (["--owner-email", "new@quay.example", "--owner-password", "short"], "at least 8 characters"),
        (
            ["--owner-email", "new@quay.example", "--owner-password", "long-enough", "--country", "XX"],
            "unknown country",
        ),
        (
            ["--owner-email", "new@quay.example", "--owner-password", "long-enough", "--currency", "EU"],
            "unknown currency",
        ),
        (
            ["--owner-email", "new@quay.example", "--owner-password", "long-enough", "--language", "fr"],
            "unknown language",
        ),
    ]
    for options, message in cases:
        result = run(runner, "clinic", "create", "--name", "Quay Therapy", *options)
        assert result.exit_code != 0 and message in result.output, result.output
    assert Clinic.select().count() == 1


def test_clinic_create_takes_the_owners_name_country_currency_and_language(app, runner):
    """The new options land on the clinic and its owner, and the hub commands work on that new clinic."""
    result = run(
        runner,
        "clinic",
        "create",
        "--name",
        "Fjara Sálfræði",
        "--owner-email",
        "gudrun@fjara.example",
        "--owner-password",
        "long-enough",
        "--owner-name",
        "Guðrún Jónsdóttir",
        "--timezone",
        "Atlantic/Reykjavik",
        "--country",
        "is",
        "--currency",
        "isk",
        "--language",
        "is",
        "--json",
    )
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    clinic = Clinic.get(Clinic.slug == info["slug"])
    assert (clinic.country, clinic.currency, clinic.default_language) == ("IS", "ISK", "is")
    assert clinic.professionals.get().name == "Guðrún Jónsdóttir"

    made = run(
        runner, "hub", "create", info["slug"], "--name", "Starfsfólk", "--member", "gudrun@fjara.example", "--json"
    )
    assert made.exit_code == 0, made.output
    hub_link = json.loads(made.output)["hub_link"]
    assert run(runner, "link", "hub", info["slug"]).output.strip() == hub_link
    assert run(runner, "link", "hub", info["slug"], "--hub", "Starfsfólk").output.strip() == hub_link
    page = app.test_client().get(path_of(hub_link))
    assert page.status_code == 200 and "Guðrún Jónsdóttir" in text(page)


def test_hub_create_refuses_a_stranger_or_an_unknown_mode_and_makes_nothing(runner, clinic, other_clinic):
    for member, message in [
        ("owner@fjord.example", "has no professional with the email"),
        ("owner@harbour.example:everything", "unknown member mode"),
    ]:
        result = run(runner, "hub", "create", clinic.slug, "--name", "Northwind", "--member", member)
        assert result.exit_code != 0 and message in result.output, result.output
    result = run(runner, "hub", "create", clinic.slug, "--name", "  ")
    assert result.exit_code != 0 and "needs a name" in result.output
    assert Hub.select().count() == 0
    assert "no hub named" in run(runner, "link", "hub", clinic.slug, "--hub", "Nope").output


# --- link ----------------------------------------------------------------------------------------


def test_link_request_prints_the_current_link(client, runner, owner, clinic):
    """`frontdesk link request SLUG` prints the clinic's link, and after a rotation the new one."""
    before = run(runner, "link", "request", clinic.slug).output.strip()
    assert client.get(path_of(before)).status_code == 200
    owner.post("/workstation/settings/client-access/rotate", page="/workstation/settings/client-access")
    after = run(runner, "link", "request", clinic.slug).output.strip()
    assert after != before
    assert client.get(path_of(after)).status_code == 200
    assert client.get(path_of(before)).status_code == 410


def test_link_for_an_unknown_clinic_says_so(runner, clinic):
    """Asking for the link of a clinic that does not exist fails with a message."""
    result = run(runner, "link", "request", "no-such-clinic")
    assert result.exit_code != 0 and "no clinic with the slug 'no-such-clinic'" in result.output


# --- send-mail -----------------------------------------------------------------------------------


def mail_folder(app):
    return os.path.join(app.instance_path, "mail")


def delivered(app):
    folder = mail_folder(app)
    if not os.path.isdir(folder):
        return []
    messages = []
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            messages.append(email.message_from_bytes(f.read()))
    return messages


def test_send_mail_delivers_the_outbox_once(app, runner, ask):
    """`frontdesk send-mail` delivers every queued email once, with its Message-ID, and marks it sent."""
    ask()
    queued = outbox()
    result = run(runner, "send-mail")
    assert result.exit_code == 0 and f"sent {len(queued)}, failed 0" in result.output
    messages = delivered(app)
    assert sorted(m["Message-ID"] for m in messages) == sorted(m.message_id for m in queued)
    assert sorted(m["To"] for m in messages) == sorted(m.to_address for m in queued)
    assert all(m.sent_at is not None for m in outbox())
    run(runner, "send-mail")
    assert len(delivered(app)) == len(queued)


def test_a_booking_email_carries_its_calendar_invitation(app, runner, owner, accepted_client):
    """The delivered confirmation of a session has text, HTML and a calendar invitation (METHOD:REQUEST)."""
    book(owner, accepted_client, next_july_day(), "10:00")
    assert run(runner, "send-mail").exit_code == 0
    [confirmation] = [m for m in delivered(app) if "session" in m["Subject"] and m["To"] == "sam@example.com"]
    parts = {part.get_content_type(): part for part in confirmation.walk()}
    assert {"text/plain", "text/html", "text/calendar"} <= set(parts)
    invite = parts["text/calendar"]
    assert invite.get_param("method") == "REQUEST"
    assert b"METHOD:REQUEST" in invite.get_payload(decode=True)


def test_send_mail_keeps_what_it_could_not_deliver_for_later(app, runner, ask):
    """When the mail server cannot be reached, send-mail says so, fails, and keeps the emails for a retry."""
    ask()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=closed_port)
    result = run(runner, "send-mail")
    assert result.exit_code == 1
    assert f"sent 0, failed {len(outbox())}" in result.output
    for message in OutboxMessage.select():
        assert message.sent_at is None and message.attempts == 1 and message.last_error
        assert message.next_attempt_at > utcnow() + datetime.timedelta(seconds=20)


# --- db upgrade ----------------------------------------------------------------------------------


def test_db_upgrade_on_an_up_to_date_database_changes_nothing(runner, clinic):
    """`frontdesk db upgrade` on a migrated database says it is up to date and keeps the data."""
    result = run(runner, "db", "upgrade")
    assert result.exit_code == 0 and "up to date" in result.output
    assert Clinic.get_by_id(clinic.id).name == clinic.name

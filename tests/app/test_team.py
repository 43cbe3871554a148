"""Team and roles (issue 11): the owner invites colleagues by email, changes roles, deactivates and
reactivates members and reassigns their sessions; the clinic always keeps an active owner."""

import functools
import re
import threading

import pytest
from frontdesk import db, links, team
from frontdesk.models import Appointment, Invitation, Professional

from tests.app.booking_fixtures import make_session, owner_of, work_every_day
from tests.app.conftest import text
from tests.conftest import Auth, add_professional, outbox, snapshot

TEAM = "/workstation/team"


def invite(owner, email="ben@harbour.example", role="professional"):
    return owner.post(f"{TEAM}/invitations", {"email": email, "role": role}, page=TEAM)


def invitation_path(to):
    """The invitation link of the last email to `to`, as a path."""
    message = outbox(to)[-1]
    return re.search(r"http://frontdesk\.test(/workstation/join/\S+)", message.text_body).group(1)


def join(app, path, name="Ben Okafor", password="a long password"):
    browser = Auth(app.test_client())
    token = browser.csrf(path)
    return browser, browser.client.post(path, data={"name": name, "password": password, "csrf_token": token})


def test_an_invited_colleague_sets_a_name_and_password_and_is_signed_in(app, clinic, owner):
    assert invite(owner, role="front_desk").status_code == 302
    message = outbox("ben@harbour.example")[-1]
    assert "Harbour Counselling" in message.subject and "ben" not in message.subject.lower()
    path = invitation_path("ben@harbour.example")
    page = app.test_client().get(path)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    assert "ben@harbour.example" in text(page)
    browser, response = join(app, path)
    assert response.status_code == 302
    member = Professional.get(Professional.email == "ben@harbour.example")
    assert (member.name, member.role, member.clinic_id) == ("Ben Okafor", "front_desk", clinic.id)
    assert browser.client.get("/workstation/requests").status_code == 200
    assert browser.client.get("/workstation/settings/client-access").status_code == 403
    used = app.test_client().get(path)
    assert used.status_code == 410 and "already been used" in text(used)


def test_the_owner_sees_pending_invitations_and_can_resend_or_withdraw(app, clinic, owner):
    invite(owner)
    first = invitation_path("ben@harbour.example")
    invitation = Invitation.get(Invitation.email == "ben@harbour.example")
    assert "ben@harbour.example" in text(owner.client.get(TEAM))
    assert owner.post(f"{TEAM}/invitations/{invitation.id}/resend", page=TEAM).status_code == 302
    second = invitation_path("ben@harbour.example")
    assert first != second
    assert "withdrawn or replaced" in text(app.test_client().get(first))
    assert owner.post(f"{TEAM}/invitations/{invitation.id}/revoke", page=TEAM).status_code == 302
    assert app.test_client().get(second).status_code == 410
    assert "ben@harbour.example" not in text(owner.client.get(TEAM))


@pytest.mark.parametrize(
    "change, says",
    [
        (lambda path: path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"), "not valid"),
        (lambda path: path.replace("/join/", "/join/x"), "not valid"),
    ],
)
def test_a_tampered_invitation_gets_a_clean_page(app, clinic, owner, change, says):
    invite(owner)
    before = snapshot()
    response = app.test_client().get(change(invitation_path("ben@harbour.example")))
    assert response.status_code == 410 and says in text(response)
    assert snapshot() == before


def test_an_expired_invitation_gets_a_clean_page_and_makes_no_member(app, clinic, owner, monkeypatch):
    invite(owner)
    path = invitation_path("ben@harbour.example")
    monkeypatch.setattr(links, "read_invitation_token", functools.partial(links.read_invitation_token, max_age=-1))
    for response in (
        app.test_client().get(path),
        app.test_client().post(path, data={"name": "Ben", "password": "x" * 9}),
    ):
        assert response.status_code == 410 and "expired" in text(response)
    assert not Professional.select().where(Professional.email == "ben@harbour.example").exists()


def test_bad_invitations_are_refused_with_a_message_and_change_nothing(app, clinic, owner):
    add_professional(clinic, "zoe@harbour.example")
    invite(owner, email="kim@harbour.example")
    before = snapshot()
    for email, role, says in [
        ("not an email", "professional", "valid email address"),
        ("zoe@harbour.example", "professional", "already has a Frontdesk sign-in"),
        ("owner@harbour.example", "owner", "already has a Frontdesk sign-in"),
        ("KIM@harbour.example", "professional", "already has an invitation waiting"),
        ("new@harbour.example", "wizard", "Not a valid choice"),
    ]:
        response = invite(owner, email=email, role=role)
        assert response.status_code == 422 and says in text(response), email
    assert snapshot() == before


def test_a_join_form_with_a_short_password_says_so_and_makes_no_member(app, clinic, owner):
    invite(owner)
    _, response = join(app, invitation_path("ben@harbour.example"), password="short")
    assert response.status_code == 422 and "at least 8 characters" in text(response)
    assert not Professional.select().where(Professional.email == "ben@harbour.example").exists()


def test_the_last_active_owner_cannot_be_demoted_or_deactivated(app, clinic, owner):
    me = owner_of(clinic)
    before = snapshot()
    page = owner.post(f"{TEAM}/members/{me.id}/role", {"role": "professional"}, page=TEAM)
    assert page.status_code == 302
    assert "needs an active owner" in text(owner.client.get(TEAM))
    owner.post(f"{TEAM}/members/{me.id}/deactivate", page=TEAM)
    assert "needs an active owner" in text(owner.client.get(TEAM))
    assert snapshot() == before


def test_the_last_owner_is_kept_by_the_domain_too(app, clinic):
    me = owner_of(clinic)
    with pytest.raises(team.TeamError):
        team.set_active(clinic, me.id, False)
    second = add_professional(clinic, "eve@harbour.example", role="owner")
    team.set_active(clinic, second.id, False)
    with pytest.raises(team.TeamError):
        team.change_role(clinic, me.id, "professional")


def test_two_owners_demoting_each_other_at_once_leave_one_owner(app, clinic):
    """Each owner demotes the other in the same instant: the team rows are locked, so one wins and the other
    is told the clinic needs an owner."""
    first = owner_of(clinic)
    second = add_professional(clinic, "eve@harbour.example", role="owner")
    barrier = threading.Barrier(2)
    outcomes = []

    def demote(member_id):
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                team.change_role(clinic, member_id, "professional")
                outcomes.append("done")
            except team.TeamError as error:
                outcomes.append(error.code)
            finally:
                db.release()

    threads = [threading.Thread(target=demote, args=(m.id,)) for m in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["done", "last_owner"]
    assert Professional.select().where(Professional.clinic == clinic, Professional.role == "owner").count() == 1


def test_a_deactivated_member_is_signed_out_at_once_and_their_sessions_wait_for_reassignment(app, clinic, owner):
    ben = add_professional(clinic, "ben@harbour.example")
    rowan = add_professional(clinic, "rowan@harbour.example", name="Rowan Ellis")
    work_every_day(ben)
    session = make_session(clinic, 48, channel="direct", professional=ben)
    browser = Auth(app.test_client())
    assert browser.login("ben@harbour.example", "staff-password").status_code == 302
    assert owner.post(f"{TEAM}/members/{ben.id}/deactivate", page=TEAM).status_code == 302
    assert "/workstation/login" in browser.client.get("/workstation/requests").headers["Location"]
    assert browser.login("ben@harbour.example", "staff-password").status_code == 401
    page = text(owner.client.get(TEAM))
    assert "Sessions to reassign" in page and "Deactivated" in page
    assert Appointment.get_by_id(session.id).status == "booked"
    sent = len(outbox())
    response = owner.post(f"{TEAM}/sessions/{session.id}/reassign", {"professional": str(rowan.id)}, page=TEAM)
    assert response.status_code == 302
    moved = Appointment.get_by_id(session.id)
    assert (moved.professional_id, moved.sequence) == (rowan.id, session.sequence + 1)
    assert {m.to_address for m in outbox()[sent:]} == {
        "rowan@harbour.example",
        "ben@harbour.example",
        moved.client.email,
    }
    assert "Sessions to reassign" not in text(owner.client.get(TEAM))
    assert owner.post(f"{TEAM}/members/{ben.id}/reactivate", page=TEAM).status_code == 302
    assert browser.login("ben@harbour.example", "staff-password").status_code == 302


def test_the_professional_who_lost_a_session_is_told_naming_nobody(app, clinic, owner):
    """Reassigning tells the professional who had the session that it is no longer theirs, with the invitation's
    cancellation for their calendar, and names neither the client nor the service; the new one gets the booking."""
    ben = add_professional(clinic, "ben@harbour.example")
    rowan = add_professional(clinic, "rowan@harbour.example", name="Rowan Ellis")
    session = make_session(clinic, 48, channel="direct", professional=ben)
    response = owner.post(f"{TEAM}/sessions/{session.id}/reassign", {"professional": str(rowan.id)}, page=TEAM)
    assert response.status_code == 302
    [lost] = outbox("ben@harbour.example")
    assert lost.subject == "A session was reassigned"
    assert "given to a colleague" in lost.text_body and "When:" in lost.text_body
    assert "METHOD:CANCEL" in lost.ics and f"UID:{session.uid}" in lost.ics and "SEQUENCE:1" in lost.ics
    for private in (session.client.name, session.client.email, session.service.name, "Rowan"):
        assert private not in lost.subject + lost.text_body + lost.html_body, private
    [gained] = outbox("rowan@harbour.example")
    assert gained.subject == "A session was booked" and "METHOD:REQUEST" in gained.ics
    assert Auth(app.test_client()).login("ben@harbour.example", "staff-password").status_code == 302


def test_a_session_cannot_be_reassigned_to_someone_busy_then_or_to_the_front_desk(app, clinic, owner):
    ben = add_professional(clinic, "ben@harbour.example")
    fay = add_professional(clinic, "fay@harbour.example", role="front_desk")
    session = make_session(clinic, 48, channel="direct", professional=ben)
    make_session(clinic, 48, channel="direct")  # the owner is busy then
    team.set_active(clinic, ben.id, False)
    before = snapshot()
    for who, says in [(owner_of(clinic).id, "already has a session"), (fay.id, "Please choose")]:
        owner.post(f"{TEAM}/sessions/{session.id}/reassign", {"professional": str(who)}, page=TEAM)
        assert says in text(owner.client.get(TEAM)), who
    assert snapshot() == before


def test_the_owner_lets_the_front_desk_decide_charges(app, clinic, owner):
    add_professional(clinic, "fay@harbour.example", role="front_desk")
    fay = Auth(app.test_client())
    fay.login("fay@harbour.example", "staff-password")
    assert fay.client.get("/workstation/charges").status_code == 403
    owner.post(f"{TEAM}/policy", {"front_desk_decides_charges": "y"}, page=TEAM)
    assert fay.client.get("/workstation/charges").status_code == 200


def test_member_invite_on_the_command_line_queues_the_email(app, clinic, runner):
    result = runner.invoke(args=["member", "invite", clinic.slug, "--email", "Ben@Harbour.example", "--json"])
    assert result.exit_code == 0, result.output
    assert '"role": "professional"' in result.output and "/workstation/join/" in result.output
    assert outbox("ben@harbour.example")
    again = runner.invoke(args=["member", "invite", clinic.slug, "--email", "ben@harbour.example"])
    assert again.exit_code != 0 and "already has an invitation waiting" in again.output
    bad = runner.invoke(args=["member", "invite", clinic.slug, "--email", "nobody", "--role", "owner"])
    assert bad.exit_code != 0 and "not a valid email" in bad.output


def test_the_owner_sets_a_colleagues_hours_and_time_off_on_the_availability_page(app, clinic, owner, staff):
    from frontdesk.models import TimeOff, WorkingHours

    ben = Professional.get(Professional.email == "ben@harbour.example")
    page = f"/workstation/settings/availability?member={ben.id}"
    shown = owner.client.get(page)
    assert shown.status_code == 200 and "Ben Okafor" in text(shown)
    assert f"member={ben.id}" in shown.get_data(as_text=True)  # the forms keep the colleague
    hours = {"works_0": "y", "opens_0": "08:00", "closes_0": "12:00"}
    response = owner.post(f"/workstation/settings/availability/hours?member={ben.id}", hours, page=page)
    assert response.status_code == 302 and f"member={ben.id}" in response.headers["Location"]
    assert [(h.weekday, h.opens.hour) for h in WorkingHours.select().where(WorkingHours.professional == ben)] == [
        (0, 8)
    ]
    assert not WorkingHours.select().where(WorkingHours.professional == owner_of(clinic)).exists()
    day = "2030-01-07"
    owner.post(
        f"/workstation/settings/availability/time-off?member={ben.id}", {"first_day": day, "last_day": day}, page=page
    )
    assert TimeOff.select().where(TimeOff.professional == ben).count() == 1
    mine = f"/workstation/settings/availability?member={owner_of(clinic).id}"
    assert staff.client.get(mine).status_code == 403  # a professional sets only their own


def test_a_member_writes_a_public_profile_per_language_shown_on_hub_and_booking_pages(app, clinic, owner, staff):
    from frontdesk import urls
    from frontdesk.models import Clinic, Hub, HubMember

    from tests.app.conftest import path_of

    Clinic.update(languages=["en", "de"]).where(Clinic.id == clinic.id).execute()
    ben = Professional.get(Professional.email == "ben@harbour.example")
    form = {
        "public_name": "Dr Ben Okafor",
        "title_en": "Couples therapist",
        "about_en": "Twenty years with couples and families.",
        "title_de": "Paartherapeut",
        "about_de": "",
    }
    assert staff.post("/workstation/profile", form, page="/workstation/profile").status_code == 302
    hub = Hub.create(clinic=clinic, name="Harbour Wellbeing")
    HubMember.create(hub=hub, professional=ben)
    client = app.test_client()
    with app.test_request_context():
        hub_path, booking_path = path_of(urls.hub_link(hub)), path_of(urls.booking_link(ben))
    english = text(client.get(hub_path))
    assert "Dr Ben Okafor" in english and "Couples therapist" in english and "Twenty years" in english
    assert "Paartherapeut" in text(client.get(hub_path + "?lang=de"))
    assert "Dr Ben Okafor" in text(client.get(booking_path)) and "Couples therapist" in text(client.get(booking_path))
    # The owner edits a colleague's profile; a professional cannot edit the owner's.
    page = f"/workstation/profile?member={ben.id}"
    owner.post(page, dict(form, title_en="Family therapist"), page=page)
    assert Professional.get_by_id(ben.id).profile["en"]["title"] == "Family therapist"
    assert staff.client.get(f"/workstation/profile?member={owner_of(clinic).id}").status_code == 403


def test_a_too_long_profile_is_refused_and_changes_nothing(app, clinic, staff):
    before = snapshot()
    response = staff.post("/workstation/profile", {"public_name": "x" * 500}, page="/workstation/profile")
    assert response.status_code == 422
    assert snapshot() == before

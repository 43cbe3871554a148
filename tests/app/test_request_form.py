"""The public request form at /r/<token>: what a client sees, sends, and is told when something is wrong."""

import datetime
import time
from types import SimpleNamespace

import pytest
from frontdesk import links
from frontdesk.models import Client, Clinic, Request, Service, UsedFormToken

from tests.conftest import add_professional, outbox
from tests.pages import form_token, links_on, parse

from .conftest import Visitor, add_question, first_service, request_path, set_registration, text

ALL_FIELDS_OPTIONAL = {
    key: "optional"
    for key in (
        "phone",
        "date_of_birth",
        "address",
        "preferred_language",
        "reason",
        "heard_about",
        "emergency_contact",
        "national_id",
        "terms_consent",
    )
}


def nothing_created():
    return Client.select().count() == 0 and Request.select().count() == 0 and outbox() == []


# --- seeing the form -----------------------------------------------------------------------------


def test_the_link_opens_a_form_asking_name_email_service_and_message(visitor, clinic):
    """A client opens the request link and sees a form for their name, email, the service and a message."""
    response = visitor.open()
    page = text(response)
    assert response.status_code == 200
    assert "Request a service" in page and clinic.name in page
    for name in ("name", "email", "service", "message", "form_token"):
        assert f'name="{name}"' in page
    assert first_service(clinic).name in page


def test_the_form_shows_only_the_built_in_fields_the_clinic_asks(visitor, clinic):
    """A clinic that asks for a phone number and a date of birth shows those two and no other extra field."""
    set_registration(clinic, phone="required", date_of_birth="optional", address="off")
    page = text(visitor.open())
    assert 'name="phone"' in page and 'name="date_of_birth"' in page
    for key in (
        "address",
        "preferred_language",
        "reason",
        "heard_about",
        "emergency_contact",
        "national_id",
        "terms_consent",
    ):
        assert f'name="{key}"' not in page


def test_the_form_shows_every_built_in_field_when_all_are_asked(visitor, clinic):
    """A clinic that asks everything shows every built-in field, with its terms linked next to the consent."""
    set_registration(clinic, **ALL_FIELDS_OPTIONAL)
    page = text(visitor.open())
    for key in ALL_FIELDS_OPTIONAL:
        assert parse(page).find(name=key) is not None, key
    assert clinic.terms_url in dict(links_on(page)).values()


def test_the_form_shows_the_clinics_own_questions_in_their_order(visitor, clinic):
    """The clinic's own questions of every kind appear on the form, in the clinic's order, with their choices."""
    questions = [
        add_question(clinic, "What name do you prefer?", "short_text"),
        add_question(clinic, "Tell us about your week", "long_text"),
        add_question(clinic, "Which site suits you?", "single_choice", ["Harbour Street", "Online"]),
        add_question(clinic, "Which times suit you?", "multiple_choice", ["Mornings", "Evenings"]),
        add_question(clinic, "Have you had counselling before?", "yes_no"),
    ]
    page = text(visitor.open())
    positions = [page.index(q.label) for q in questions]
    assert positions == sorted(positions)
    for choice in ("Harbour Street", "Online", "Mornings", "Evenings"):
        assert choice in page
    form = parse(page)
    assert form.find("textarea", name=f"q_{questions[1].id}") is not None
    assert len(form.find_all("input", name=f"q_{questions[3].id}", type="checkbox")) == 2


# --- sending it ----------------------------------------------------------------------------------


def test_sending_the_form_puts_the_person_on_the_waitlist(visitor, clinic):
    """A client sends the form: they see a confirmation, get a client record and a pending request, and
    the clinic's professionals and the client are emailed."""
    add_professional(clinic, "ben@harbour.example")
    service = first_service(clinic)
    response = visitor.send(service=str(service.id), message="I would like to talk about work stress.")
    page = text(response)
    assert response.status_code == 200
    assert "Thank you, your request was sent" in page and "sam@example.com" in page

    client = Client.get()
    assert (client.clinic_id, client.email, client.name, client.status) == (
        clinic.id,
        "sam@example.com",
        "Sam Rivera",
        "waitlist",
    )
    request = Request.get()
    assert (request.client_id, request.status, request.service_id) == (client.id, "pending", service.id)
    assert request.message == "I would like to talk about work stress."

    [to_client] = outbox("sam@example.com")
    assert "We received your request" in to_client.subject and clinic.name in to_client.subject
    for address in ("owner@harbour.example", "ben@harbour.example"):
        [to_professional] = outbox(address)
        assert to_professional.subject == "New request"
        assert "Sam Rivera" not in to_professional.text_body + to_professional.html_body
    assert len(outbox()) == 3


def test_a_member_who_left_the_team_is_not_told_of_new_requests(app, visitor, clinic, owner):
    """A deactivated member has left the practice: "New request" goes to the active team only."""
    ben = add_professional(clinic, "ben@harbour.example")
    assert owner.post(f"/workstation/team/members/{ben.id}/deactivate", page="/workstation/team").status_code == 302
    assert visitor.send().status_code == 200
    assert [m.to_address for m in outbox() if m.subject == "New request"] == ["owner@harbour.example"]
    assert outbox("ben@harbour.example") == []


def test_asking_again_reuses_the_clients_record(visitor, clinic):
    """A client who asks twice (even typing their email differently) has one record with two requests; the
    second form's other name stays with its request for the team to review, not on the record (issue 12)."""
    assert visitor.send().status_code == 200
    assert visitor.send(email="Sam@Example.com", name="Sam R.").status_code == 200
    client = Client.get()
    assert Client.select().count() == 1
    assert client.name == "Sam Rivera"
    assert Request.select().where(Request.client == client).count() == 2
    assert Request.select().order_by(Request.id.desc()).first().submitted_details == {"name": "Sam R."}


def test_the_same_email_at_another_clinic_is_another_clients_record(app, visitor, clinic, other_clinic):
    """One person asking two clinics has a separate record at each."""
    visitor.send()
    Visitor(app.test_client(), request_path(other_clinic)).send()
    assert sorted(c.clinic_id for c in Client.select()) == sorted([clinic.id, other_clinic.id])


def test_every_answer_is_kept_with_the_client_and_the_request(visitor, clinic):
    """What the client answers is kept: contact details on their record, everything on the request."""
    set_registration(clinic, **ALL_FIELDS_OPTIONAL)
    yes_no = add_question(clinic, "Have you had counselling before?", "yes_no")
    times = add_question(clinic, "Which times suit you?", "multiple_choice", ["Mornings", "Evenings"])
    response = visitor.send(
        phone="020 7946 0018",
        date_of_birth="1990-04-23",
        address="1 Quay Street\nBristol",
        preferred_language="en",
        reason="Sleep",
        heard_about="A friend",
        emergency_contact="Alex, 020 7946 0019",
        national_id="QQ123456C",
        terms_consent="y",
        **{f"q_{yes_no.id}": "yes", f"q_{times.id}": ["Mornings", "Evenings"]},
    )
    assert response.status_code == 200
    client = Client.get()
    assert client.phone == "+442079460018"
    assert client.date_of_birth == datetime.date(1990, 4, 23)
    assert (client.address, client.emergency_contact, client.national_id, client.language) == (
        "1 Quay Street\nBristol",
        "Alex, 020 7946 0019",
        "QQ123456C",
        "en",
    )
    answers = {a.get("key") or a["question"]: a["value"] for a in Request.get().answers}
    assert answers == {
        "phone": "+442079460018",
        "date_of_birth": "1990-04-23",
        "address": "1 Quay Street\nBristol",
        "preferred_language": "en",
        "reason": "Sleep",
        "heard_about": "A friend",
        "emergency_contact": "Alex, 020 7946 0019",
        "national_id": "QQ123456C",
        "terms_consent": True,
        "Have you had counselling before?": "yes",
        "Which times suit you?": ["Mornings", "Evenings"],
    }


def test_a_phone_number_is_read_in_the_clinics_country(app, us_clinic):
    """A local number is understood in the clinic's own country and kept in international form."""
    set_registration(us_clinic, phone="required")
    visitor = Visitor(app.test_client(), request_path(us_clinic))
    assert visitor.send(phone="(415) 555-2671").status_code == 200
    assert Client.get().phone == "+14155552671"


def test_after_correcting_a_mistake_the_form_is_sent(visitor, clinic):
    """A client who mistyped their phone number sees what they typed kept, fixes it and sends the form."""
    set_registration(clinic, phone="required")
    first = visitor.send(phone="12345", message="Evenings are best")
    assert first.status_code == 422
    assert "Evenings are best" in text(first) and 'value="Sam Rivera"' in text(first)
    second = visitor.send(token=form_token(first), phone="020 7946 0018", message="Evenings are best")
    assert second.status_code == 200
    assert Request.select().count() == 1


# --- bad input -----------------------------------------------------------------------------------

TOO_LONG = "x" * 121

# Every built-in field left out while required is in test_settings.py; here, one of each kind of mistake.
BAD_INPUT = {
    # case: (registration, questions as (label, kind, choices, required), fields, the message shown)
    "bad email": ({}, [], {"email": "sam.example.com"}, "Please enter a valid email address"),
    "missing name": ({}, [], {"name": "   "}, "Please fill in this field."),
    "name with a line break": ({}, [], {"name": "Sam\nBcc: x@example.com"}, "Please use a single line"),
    "name too long": ({}, [], {"name": TOO_LONG}, "Please use at most 120 characters"),
    "message too long": ({}, [], {"message": "x" * 4001}, "Please use at most 4000 characters"),
    "service not offered": ({}, [], {"service": "999999"}, "Not a valid choice"),
    "bad phone": ({"phone": "optional"}, [], {"phone": "12345"}, "Please enter a valid phone number"),
    "future date of birth": (
        {"date_of_birth": "optional"},
        [],
        {"date_of_birth": "TOMORROW"},
        "Please enter a date of birth in the past.",
    ),
    "not a date": (
        {"date_of_birth": "optional"},
        [],
        {"date_of_birth": "31/02/1990"},
        "Please enter a date like 1990-04-23",
    ),
    "required reason missing": ({"reason": "required"}, [], {"reason": ""}, "Please fill in this field."),
    "language not offered": (
        {"preferred_language": "optional"},
        [],
        {"preferred_language": "xx"},
        "Not a valid choice",
    ),
    "required consent unchecked": ({"terms_consent": "required"}, [], {}, "Please agree to the terms to continue."),
    "heard about too long": (
        {"heard_about": "optional"},
        [],
        {"heard_about": "x" * 201},
        "Please use at most 200 characters",
    ),
    "single choice not among options": (
        {},
        [("Which site?", "single_choice", ["Harbour", "Online"], False)],
        {"q0": "Moon base"},
        "Not a valid choice",
    ),
    "multiple choice not among options": (
        {},
        [("Which times?", "multiple_choice", ["Mornings", "Evenings"], False)],
        {"q0": ["Mornings", "Midnight"]},
        "is not a valid choice",
    ),
    "yes/no neither": ({}, [("Seen anyone before?", "yes_no", [], False)], {"q0": "maybe"}, "Not a valid choice"),
    "required choice unanswered": (
        {},
        [("Which site?", "single_choice", ["Harbour", "Online"], True)],
        {},
        "Please choose one.",
    ),
    "required multiple choice unanswered": (
        {},
        [("Which times?", "multiple_choice", ["Mornings", "Evenings"], True)],
        {},
        "Please choose at least one.",
    ),
    "required short text empty": (
        {},
        [("Your GP's name", "short_text", [], True)],
        {"q0": ""},
        "Please fill in this field.",
    ),
    "short answer too long": (
        {},
        [("Your GP's name", "short_text", [], False)],
        {"q0": "x" * 501},
        "Please use at most 500 characters",
    ),
    "long answer too long": (
        {},
        [("Anything else?", "long_text", [], False)],
        {"q0": "x" * 4001},
        "Please use at most 4000 characters",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_a_bad_answer_is_shown_next_to_its_field_and_nothing_is_sent(visitor, clinic, case):
    """A client who gives one bad answer gets the form back (422) with the problem next to the field;
    no client, request or email is made."""
    registration, question_specs, fields, message = BAD_INPUT[case]
    set_registration(clinic, **registration)
    questions = [add_question(clinic, *spec) for spec in question_specs]
    fields = {(f"q_{questions[0].id}" if key == "q0" else key): value for key, value in fields.items()}
    if fields.get("date_of_birth") == "TOMORROW":
        fields["date_of_birth"] = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = visitor.send(**fields)
    page = text(response)
    assert response.status_code == 422
    assert message in page
    assert 'class="error"' in page and "Please correct the field marked below." in page
    assert nothing_created()
    assert UsedFormToken.select().count() == 0


def test_an_oversized_form_is_refused_with_a_friendly_page(visitor):
    """A form body larger than the server accepts gets a page asking to shorten it (413); nothing is made."""
    response = visitor.send(message="x" * (64 * 1024 + 1))
    assert response.status_code == 413
    assert "That was too much to send" in text(response)
    assert nothing_created()


# --- links that cannot be used -------------------------------------------------------------------


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-3],
        lambda t: t[:12],
        lambda t: t[:-2] + ("A" if t[-2] != "A" else "B") + t[-1],
        lambda t: "x" + t,
    ],
    ids=["truncated", "cut short", "one character changed", "tampered payload"],
)
def test_a_damaged_link_shows_a_friendly_not_found_page(visitor, mangle):
    """A client whose link was truncated or altered sees a page saying the link may be incomplete (404),
    and sending to it makes nothing."""
    good = visitor.open()
    damaged = "/r/" + mangle(visitor.path.split("/r/", 1)[1])
    response = visitor.open(damaged)
    assert response.status_code == 404
    assert "This page does not exist" in text(response) and "The link may be incomplete" in text(response)
    assert visitor.send(path=damaged, token=form_token(good)).status_code == 404
    assert nothing_created()


def test_a_genuine_link_to_a_clinic_that_is_gone_is_not_found(app, visitor, clinic):
    """A correctly signed link for a clinic that no longer exists shows the not-found page."""
    token = links.request_token(app.config["SECRET_KEYS"], SimpleNamespace(id=clinic.id + 1000, request_link_version=1))
    assert visitor.open(f"/r/{token}").status_code == 404


def test_a_link_signed_with_an_older_key_still_works(app, visitor, clinic):
    """After the server's signing key is rotated, links sent out before still open the form."""
    old_only = [app.config["SECRET_KEYS"][1]]
    token = links.request_token(old_only, clinic)
    assert visitor.open(f"/r/{token}").status_code == 200


def test_a_replaced_link_says_so_and_takes_nothing(visitor, clinic, owner):
    """After the clinic rotates its link, the old link says it was replaced (410), sending to it makes
    nothing, and the new link works."""
    old_token = form_token(visitor.open())
    owner.post("/workstation/settings/client-access/rotate", page="/workstation/settings/client-access")
    response = visitor.open()
    assert response.status_code == 410
    assert "This link was replaced" in text(response)
    assert visitor.send(token=old_token).status_code == 410
    assert nothing_created()
    new_path = request_path(clinic)
    assert new_path != visitor.path
    assert visitor.send(path=new_path).status_code == 200


def test_a_clinic_not_taking_requests_says_so(visitor, clinic):
    """When the clinic has turned requests off, its link says it is not taking requests (403) and takes nothing."""
    token = form_token(visitor.open())
    Clinic.update(requests_enabled=False).where(Clinic.id == clinic.id).execute()
    response = visitor.open()
    assert response.status_code == 403
    assert "is not taking requests right now" in text(response)
    assert 'name="email"' not in text(response)
    assert visitor.send(token=token).status_code == 403
    assert nothing_created()


# --- the form token: replays, bots, other clinics ------------------------------------------------


def test_sending_the_same_form_twice_makes_one_request(visitor):
    """A client who presses Send twice (or reloads) has one request and is told the form was already sent."""
    token = form_token(visitor.open())
    first = visitor.send(token=token)
    emails = len(outbox())
    second = visitor.send(token=token)
    assert first.status_code == second.status_code == 200
    assert "already been sent" not in text(first)
    assert "This form had already been sent" in text(second)
    assert Request.select().count() == 1 and Client.select().count() == 1
    assert len(outbox()) == emails


def test_a_filled_honeypot_is_turned_away(visitor):
    """A bot that fills in the hidden website field is told the form was not sent, and nothing is made."""
    response = visitor.send(website="http://spam.example")
    assert response.status_code == 422
    assert "looked automatically filled in" in text(response)
    assert nothing_created()


@pytest.mark.parametrize("how", ["other clinic", "tampered", "missing", "request link instead"])
def test_a_form_token_that_does_not_belong_to_this_link_is_refused(app, visitor, other_clinic, how):
    """A form token taken from another clinic's form, altered, left out or swapped for another token is
    refused with a message, and nothing is made."""
    own = form_token(visitor.open())
    token = {
        "other clinic": lambda: form_token(Visitor(app.test_client(), request_path(other_clinic)).open()),
        "tampered": lambda: own[:-2] + ("A" if own[-2] != "A" else "B") + own[-1],
        "missing": lambda: "",
        "request link instead": lambda: visitor.path.split("/r/", 1)[1],
    }[how]()
    response = visitor.send(token=token)
    assert response.status_code == 422
    assert "This form could not be verified" in text(response)
    assert nothing_created()


def test_a_form_sent_too_quickly_is_refused(app, visitor):
    """A form sent back sooner than a person could fill it in is refused with a message; nothing is made."""
    app.config["FORM_MIN_SECONDS"] = 60
    response = visitor.send()
    assert response.status_code == 422
    assert "quicker than we expected" in text(response)
    assert nothing_created()


def test_a_form_left_open_too_long_is_refused(app, visitor, monkeypatch):
    """A form sent back after FORM_MAX_AGE asks the client to check and send it again; nothing is made."""
    shown_hours_ago = time.time() - app.config["FORM_MAX_AGE"] - 60
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: shown_hours_ago)
        token = form_token(visitor.open())
    response = visitor.send(token=token)
    assert response.status_code == 422
    assert "open for a long time" in text(response)
    assert nothing_created()
    assert visitor.send(token=form_token(response)).status_code == 200


# --- what client pages send back ------------------------------------------------------------------


def client_page_responses(app, visitor, clinic):
    """One response of each kind a client can meet on the request link."""
    responses = {"form": visitor.open()}
    responses["sent"] = visitor.send()
    responses["invalid"] = visitor.send(email="nope")
    responses["too big"] = visitor.send(message="x" * (70 * 1024))
    responses["damaged link"] = visitor.open(visitor.path[:-4])
    Clinic.update(requests_enabled=False).where(Clinic.id == clinic.id).execute()
    responses["closed"] = visitor.open()
    Clinic.update(requests_enabled=True, request_link_version=Clinic.request_link_version + 1).where(
        Clinic.id == clinic.id
    ).execute()
    responses["replaced"] = visitor.open()
    return responses


def test_client_pages_set_no_cookies_and_leak_no_link(app, visitor, clinic):
    """Every page a client meets works in a third-party frame: no cookie is set, the link is not sent on
    as a Referer, and the page is not cached."""
    responses = client_page_responses(app, visitor, clinic)
    assert [r.status_code for r in responses.values()] == [200, 200, 422, 413, 404, 403, 410]
    for kind, response in responses.items():
        assert "Set-Cookie" not in response.headers, kind
        assert response.headers.get("Referrer-Policy") == "no-referrer", kind
        assert response.headers.get("Cache-Control") == "no-store", kind


def test_the_form_works_with_a_workstation_cookie_present_without_touching_it(client, owner, clinic):
    """A professional trying their own link in the browser they work in gets the form and no new cookie."""
    response = client.get(request_path(clinic))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_services_that_are_no_longer_offered_are_not_on_the_form(visitor, clinic):
    """A service the clinic stopped offering is not listed and cannot be asked for."""
    service = first_service(clinic)
    Service.update(active=False).where(Service.id == service.id).execute()
    assert service.name not in text(visitor.open())
    assert visitor.send(service=str(service.id)).status_code == 422
    assert nothing_created()

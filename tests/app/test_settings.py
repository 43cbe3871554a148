"""Settings → Client Access (requests on/off, the link, terms, what the form asks, own questions) and
Settings → Services, as the clinic's owner changes them and clients then see them."""

import pytest
from frontdesk import registration
from frontdesk.models import Clinic, Question, Request, Service

from tests.conftest import outbox
from tests.pages import links_on

from .conftest import SETTINGS_PAGE, add_question, first_service, request_path, text

SERVICES_PAGE = "/workstation/settings/services"

# A valid answer for each built-in field, as a client would give it.
GOOD_ANSWERS = {
    "phone": "020 7946 0018",
    "date_of_birth": "1990-04-23",
    "address": "1 Quay Street, Bristol",
    "preferred_language": "en",
    "reason": "Trouble sleeping",
    "heard_about": "A friend",
    "emergency_contact": "Alex Rivera",
    "national_id": "QQ123456C",
    "terms_consent": "y",
}


def settings_post(auth, action, data=None):
    return auth.post(f"/workstation/settings/client-access/{action}", data, page=SETTINGS_PAGE)


def flashed(client, response):
    """The page a redirect leads to, with its flashed message."""
    return text(client.get(response.headers["Location"]))


def registration_of(clinic):
    return Clinic.get_by_id(clinic.id).registration


# --- requests on and off, and the link -----------------------------------------------------------


def test_the_client_access_page_shows_the_current_request_link(client, owner, clinic):
    """The owner finds the link to share on Client Access, and it opens the request form."""
    page = text(client.get(SETTINGS_PAGE))
    link = f"http://frontdesk.test{request_path(clinic)}"
    assert link in page and "Rotate link" in page


def test_turning_requests_off_and_on(client, owner, clinic, visitor):
    """The owner turns requests off (the link then says so) and on again (the form is back)."""
    response = settings_post(owner, "requests", {})
    assert "Requests are off" in flashed(client, response)
    assert Clinic.get_by_id(clinic.id).requests_enabled is False
    assert visitor.open().status_code == 403

    response = settings_post(owner, "requests", {"requests_enabled": "y"})
    assert "Requests are on" in flashed(client, response)
    assert visitor.open().status_code == 200
    assert visitor.send().status_code == 200


def test_rotating_the_link_retires_the_old_one(client, owner, clinic, visitor):
    """After Rotate link, the old link says it was replaced, the page shows a new link, and the new one works."""
    old_link = f"http://frontdesk.test{request_path(clinic)}"
    response = settings_post(owner, "rotate")
    page = flashed(client, response)
    assert "Your link was replaced" in page
    new_path = request_path(clinic)
    assert f"http://frontdesk.test{new_path}" in page and old_link not in page
    assert visitor.open().status_code == 410
    assert visitor.send(path=new_path).status_code == 200


# --- terms ---------------------------------------------------------------------------------------


def test_saving_a_terms_link(client, owner, clinic):
    """The owner saves the web address of their terms and conditions."""
    response = settings_post(owner, "terms", {"terms_url": "https://harbour.example/new-terms"})
    assert "Your terms link was saved." in flashed(client, response)
    assert Clinic.get_by_id(clinic.id).terms_url == "https://harbour.example/new-terms"


@pytest.mark.parametrize("bad", ["harbour terms", "harbour.example/terms", "javascript:alert(1)"])
def test_a_terms_link_that_is_not_a_web_address_is_refused(owner, clinic, bad):
    """A terms link that is not a full web address is refused with a message, and the old one is kept."""
    response = settings_post(owner, "terms", {"terms_url": bad})
    assert response.status_code == 422
    assert "Please enter a full web address" in text(response)
    assert Clinic.get_by_id(clinic.id).terms_url == "https://harbour.example/terms"


def test_the_terms_link_cannot_be_removed_while_clients_must_agree_to_it(owner, clinic, visitor):
    """While the form asks clients to agree to the terms, removing the terms link is refused, so the form
    never asks for agreement to terms nobody can read."""
    settings_post(owner, "requirements", {"terms_consent": "required"})
    response = settings_post(owner, "terms", {"terms_url": ""})
    assert response.status_code == 422
    assert "set the terms agreement to Off first" in text(response)
    assert Clinic.get_by_id(clinic.id).terms_url == "https://harbour.example/terms"
    assert "https://harbour.example/terms" in dict(links_on(visitor.open())).values()


def test_the_terms_link_can_be_removed_when_nobody_is_asked_to_agree(owner, clinic):
    """With the terms agreement off, the owner may remove the terms link."""
    assert settings_post(owner, "terms", {"terms_url": ""}).status_code == 302
    assert Clinic.get_by_id(clinic.id).terms_url == ""


# --- registration requirements -------------------------------------------------------------------


@pytest.mark.parametrize("key", list(registration.FIELDS))
def test_each_built_in_field_can_be_off_optional_or_required(owner, clinic, visitor, key):
    """The owner sets a built-in field to required (the form shows it and insists), optional (the form
    shows it and lets it be left out) or off (the form does not ask it)."""
    label = str(registration.FIELDS[key])
    others = {k: "off" for k in registration.FIELDS if k != key}

    assert settings_post(owner, "requirements", dict(others, **{key: "required"})).status_code == 302
    assert registration_of(clinic)[key] == "required"
    assert label in text(visitor.open())
    left_out = visitor.send()
    assert left_out.status_code == 422 and label in text(left_out)
    assert visitor.send(**{key: GOOD_ANSWERS[key]}).status_code == 200

    assert settings_post(owner, "requirements", dict(others, **{key: "optional"})).status_code == 302
    assert label in text(visitor.open())
    assert visitor.send().status_code == 200

    assert settings_post(owner, "requirements", dict(others, **{key: "off"})).status_code == 302
    assert f'name="{key}"' not in text(visitor.open())
    assert visitor.send(**{key: GOOD_ANSWERS[key]}).status_code == 200
    assert all(answer.get("key") != key for answer in Request.select().order_by(Request.id.desc()).first().answers)


def test_the_terms_agreement_needs_a_terms_link_first(client, owner, clinic):
    """Asking clients to agree to the terms is refused until the clinic has a terms link, with a message."""
    settings_post(owner, "terms", {"terms_url": ""})
    response = settings_post(owner, "requirements", {"terms_consent": "required", "phone": "required"})
    assert response.status_code == 422
    assert "Add the link to your terms first" in text(response)
    assert registration_of(clinic) == {}


def test_a_requirement_that_is_not_a_choice_is_refused(owner, clinic):
    """A mode other than off, optional or required is refused and nothing is saved."""
    response = settings_post(owner, "requirements", {"phone": "always"})
    assert response.status_code == 422
    assert "Not a valid choice" in text(response)
    assert registration_of(clinic) == {}


def test_the_requirements_page_shows_what_was_saved(client, owner):
    """After saving, the requirements show the chosen mode for each field."""
    settings_post(owner, "requirements", {"phone": "required", "address": "optional"})
    page = text(client.get(SETTINGS_PAGE))
    assert "Your client registration requirements were saved." in page
    for key, mode in (("phone", "required"), ("address", "optional"), ("reason", "off")):
        select = page.split(f'name="{key}"', 1)[1].split("</select>", 1)[0]
        assert f'selected value="{mode}"' in select or f'value="{mode}" selected' in select


# --- the clinic's own questions ------------------------------------------------------------------


def add(owner, label, kind="short_text", choices="", required=False):
    data = {"label": label, "kind": kind, "choices": choices}
    if required:
        data["required"] = "y"
    return settings_post(owner, "questions", data)


def labels_in_order(page, labels):
    return sorted(labels, key=page.index)


def test_adding_questions_of_every_kind(client, owner, clinic, visitor):
    """The owner adds a question of each kind; each appears on the settings page and on the request form."""
    specs = [
        ("Your GP's name", "short_text", ""),
        ("Tell us about your week", "long_text", ""),
        ("Which site suits you?", "single_choice", "Harbour Street\nOnline\n\n"),
        ("Which times suit you?", "multiple_choice", "Mornings\n  Evenings  "),
        ("Have you had counselling before?", "yes_no", ""),
    ]
    for label, kind, choices in specs:
        response = add(owner, label, kind, choices)
        assert response.status_code == 302
    assert "Your question was added to the request form." in flashed(client, response)
    stored = [(q.label, q.kind, q.choices) for q in Question.select().order_by(Question.position)]
    assert stored == [
        ("Your GP's name", "short_text", []),
        ("Tell us about your week", "long_text", []),
        ("Which site suits you?", "single_choice", ["Harbour Street", "Online"]),
        ("Which times suit you?", "multiple_choice", ["Mornings", "Evenings"]),
        ("Have you had counselling before?", "yes_no", []),
    ]
    labels = [label for label, _, _ in specs]
    settings_page = text(client.get(SETTINGS_PAGE))
    assert labels_in_order(settings_page, labels) == labels
    form_page = text(visitor.open())
    assert labels_in_order(form_page, labels) == labels
    assert "Harbour Street" in form_page and "Evenings" in form_page


def test_a_required_question_must_be_answered(owner, visitor):
    """A question added as required must be answered before the form is sent."""
    add(owner, "Your GP's name", required=True)
    question = Question.get()
    assert visitor.send().status_code == 422
    assert visitor.send(**{f"q_{question.id}": "Dr Lee"}).status_code == 200


@pytest.mark.parametrize(
    "data, message",
    [
        ({"label": "", "kind": "short_text"}, "Please fill in this field."),
        ({"label": "Which site?", "kind": "single_choice", "choices": "Harbour"}, "Please give at least two choices"),
        ({"label": "Which times?", "kind": "multiple_choice", "choices": ""}, "Please give at least two choices"),
        ({"label": "Favourite colour?", "kind": "colour"}, "Not a valid choice"),
        ({"label": "x" * 301, "kind": "short_text"}, "Please use at most 300 characters"),
    ],
)
def test_a_question_that_cannot_be_asked_is_refused(owner, data, message):
    """A question without a label, a choice question with fewer than two choices, or an unknown kind is
    refused with a message, and nothing is added."""
    response = settings_post(owner, "questions", data)
    assert response.status_code == 422
    assert message in text(response)
    assert Question.select().count() == 0


def test_moving_questions_changes_their_order_on_the_form(client, owner, clinic, visitor):
    """Moving questions up and down changes the order the request form asks them in."""
    a, b, c = (add_question(clinic, label, "short_text") for label in ("Alpha?", "Bravo?", "Charlie?"))
    move = lambda q, direction: settings_post(owner, f"questions/{q.id}/move/{direction}")  # noqa: E731
    assert move(c, "up").status_code == 302
    assert labels_in_order(text(visitor.open()), ["Alpha?", "Bravo?", "Charlie?"]) == ["Alpha?", "Charlie?", "Bravo?"]
    move(a, "down")
    assert labels_in_order(text(visitor.open()), ["Alpha?", "Bravo?", "Charlie?"]) == ["Charlie?", "Alpha?", "Bravo?"]
    move(c, "up")  # already first
    move(b, "down")  # already last
    expected = ["Charlie?", "Alpha?", "Bravo?"]
    assert labels_in_order(text(visitor.open()), expected) == expected
    assert labels_in_order(text(client.get(SETTINGS_PAGE)), expected) == expected


def test_a_question_added_after_moves_goes_last(owner, clinic, visitor):
    """A new question is asked after the existing ones, whatever moves came before."""
    add_question(clinic, "Alpha?", "short_text")
    b = add_question(clinic, "Bravo?", "short_text")
    settings_post(owner, f"questions/{b.id}/move/up")
    add(owner, "Charlie?")
    labels = ["Alpha?", "Bravo?", "Charlie?"]
    assert labels_in_order(text(visitor.open()), labels) == ["Bravo?", "Alpha?", "Charlie?"]


def test_deleting_a_question_removes_it_from_the_form_but_not_from_past_requests(client, owner, clinic, ask):
    """A removed question is no longer asked; requests that answered it still show the answer."""
    question = add_question(clinic, "Your GP's name", "short_text")
    request = ask(**{f"q_{question.id}": "Dr Lee"})
    response = settings_post(owner, f"questions/{question.id}/delete")
    assert "The question was removed from the request form." in flashed(client, response)
    assert Question.select().count() == 0
    assert "Your GP's name" not in text(client.get(request_path(clinic)))
    detail = text(client.get(f"/workstation/requests/{request.id}"))
    assert "Your GP's name" in detail and "Dr Lee" in detail


# --- services ------------------------------------------------------------------------------------


def services_post(auth, data):
    return auth.post(SERVICES_PAGE, data, page=SERVICES_PAGE)


def test_adding_a_service_offers_it_on_the_form_and_for_booking(client, owner, clinic, visitor, accepted_client):
    """A service the owner adds is listed with its length, offered on the request form and bookable."""
    response = services_post(owner, {"name": "Couples session", "duration_minutes": "80"})
    assert response.status_code == 302
    page = flashed(client, response)
    assert "The service was added." in page and "Couples session" in page and "80 minutes" in page
    service = Service.get(Service.name == "Couples session")
    assert (service.clinic_id, service.duration_minutes, service.active) == (clinic.id, 80, True)
    assert "Couples session" in text(visitor.open())
    assert "Couples session (80 min)" in text(client.get(f"/workstation/clients/{accepted_client.id}"))


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "duration_minutes": "50"}, "Please fill in this field."),
        ({"name": "Marathon", "duration_minutes": "601"}, "Between 5 and 600 minutes."),
        ({"name": "Blink", "duration_minutes": "4"}, "Between 5 and 600 minutes."),
        ({"name": "Open ended", "duration_minutes": ""}, "Please fill in this field."),
    ],
)
def test_a_service_without_a_name_or_a_sensible_length_is_refused(owner, data, message):
    """A service needs a name and a length between 5 and 600 minutes; otherwise nothing is added."""
    response = services_post(owner, data)
    assert response.status_code == 422
    assert message in text(response)
    assert Service.select().count() == 1


def test_archiving_a_service_stops_offering_it(client, owner, clinic, visitor, ask):
    """A service the owner stops offering leaves the list and the form; requests for it keep its name."""
    service = first_service(clinic)
    request = ask(service=str(service.id))
    response = owner.post(f"/workstation/settings/services/{service.id}/archive", page=SERVICES_PAGE)
    assert f"{service.name} is no longer offered." in flashed(client, response)
    assert Service.get_by_id(service.id).active is False
    page = text(client.get(SERVICES_PAGE))
    assert f"Stop offering: {service.name}" not in page and f"Offer again: {service.name}" in page
    assert service.name not in text(visitor.open())
    assert service.name in text(client.get(f"/workstation/requests/{request.id}"))


# --- only the owner changes settings -------------------------------------------------------------


def snapshot(clinic):
    """Everything the settings pages can change, to compare before and after."""
    row = Clinic.get_by_id(clinic.id)
    return (
        row.requests_enabled,
        row.request_link_version,
        row.terms_url,
        row.registration,
        [(q.id, q.label, q.position) for q in Question.select().order_by(Question.id)],
        [(s.id, s.name, s.active) for s in Service.select().order_by(Service.id)],
    )


STAFF_POSTS = [
    ("/workstation/settings/client-access/requests", {}),
    ("/workstation/settings/client-access/rotate", {}),
    ("/workstation/settings/client-access/terms", {"terms_url": "https://evil.example/terms"}),
    ("/workstation/settings/client-access/requirements", {"phone": "required"}),
    ("/workstation/settings/client-access/questions", {"label": "Staff question", "kind": "short_text"}),
    ("/workstation/settings/client-access/questions/{question}/move/down", {}),
    ("/workstation/settings/client-access/questions/{question}/delete", {}),
    ("/workstation/settings/services", {"name": "Staff service", "duration_minutes": "50"}),
    ("/workstation/settings/services/{service}/archive", {}),
]


@pytest.mark.parametrize("path, data", STAFF_POSTS, ids=[p.split("settings/")[1] for p, _ in STAFF_POSTS])
def test_a_professional_who_is_not_the_owner_cannot_change_settings(staff, clinic, path, data):
    """A staff professional's attempt to change any setting is refused (403) and changes nothing."""
    question = add_question(clinic, "Your GP's name", "short_text")
    add_question(clinic, "Anything else?", "long_text")
    before = snapshot(clinic)
    response = staff.post(path.format(question=question.id, service=first_service(clinic).id), data, page=SETTINGS_PAGE)
    assert response.status_code == 403
    assert "Not allowed" in text(response)
    assert snapshot(clinic) == before
    assert outbox() == []


def test_a_professional_who_is_not_the_owner_sees_settings_without_controls(staff, clinic):
    """A staff professional can read Client Access and Services but is told only the owner changes them."""
    add_question(clinic, "Your GP's name", "short_text")
    page = text(staff.client.get(SETTINGS_PAGE))
    assert "Only the clinic's owner can change these settings." in page
    assert request_path(clinic) in page and "Your GP's name" in page
    assert "Rotate link" not in page and "Add question" not in page
    services = text(staff.client.get(SERVICES_PAGE))
    assert first_service(clinic).name in services and "Add service" not in services


def test_a_settings_form_from_an_expired_page_changes_nothing(client, owner, clinic):
    """A settings form sent without its security token (an expired page) changes nothing and says so."""
    before = snapshot(clinic)
    response = client.post("/workstation/settings/client-access/rotate", data={}, headers={"Referer": SETTINGS_PAGE})
    assert response.status_code == 302
    assert "This page had expired, so nothing was changed." in text(client.get(SETTINGS_PAGE))
    assert snapshot(clinic) == before

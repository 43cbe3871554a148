"""The request form is kept rendered (server/page_cache.py) and yet never shown out of date: after every
kind of settings change the next view, in the same process, shows the change; each view still gets a form
token of its own, and its framing follows the clinic's websites as they are now."""

import dataclasses

import pytest
from frontdesk import clinic_settings
from frontdesk.models import Clinic, Request, Service

from tests.pages import form_token

from .conftest import Visitor, first_service, request_path, text


def details(clinic, **changes):
    """The clinic's details as they are, with `changes`."""
    values = {field.name: getattr(clinic, field.name) for field in dataclasses.fields(clinic_settings.ClinicDetails)}
    return clinic_settings.ClinicDetails(**{**values, **changes})


def fresh(clinic):
    return Clinic.get_by_id(clinic.id)


def rename_clinic(clinic):
    clinic_settings.save_details(clinic, details(fresh(clinic), name="Harbour Therapy"), fresh(clinic).settings_version)
    return "Harbour Therapy"


def add_service(clinic):
    clinic_settings.add_service(clinic, "Couples session", 50)
    return "Couples session"


def rename_service(clinic):
    service = first_service(clinic)
    clinic_settings.save_service(
        service,
        clinic_settings.ServiceDetails(
            name="Walk and talk",
            duration_minutes=service.duration_minutes,
            price=None,
            late_fee=None,
            bookable_online=True,
            professional_ids=(),
            names={},
        ),
        service.version,
    )
    return "Walk and talk"


def add_question(clinic):
    clinic_settings.add_question(clinic, "Which evenings suit you?", "short_text")
    return "Which evenings suit you?"


def ask_phone(clinic):
    clinic_settings.save_requirements(clinic, {"phone": "required"})
    return 'name="phone"'


def link_privacy_notice(clinic):
    clinic_settings.save_privacy_notice(clinic, {"en": "https://harbour.example/privacy"}, False)
    return "https://harbour.example/privacy"


def speak_german_first(clinic):
    clinic_settings.save_languages(fresh(clinic), "de", ["de", "en"], {}, {}, {})
    return '<html lang="de"'


@pytest.mark.parametrize(
    "change",
    [rename_clinic, add_service, rename_service, add_question, ask_phone, link_privacy_notice, speak_german_first],
)
def test_a_settings_change_shows_on_the_very_next_view(client, clinic, change):
    path = request_path(clinic)
    before = text(client.get(path))
    shown = change(clinic)
    assert shown not in before
    assert shown in text(client.get(path))


def test_a_kept_page_costs_one_query(client, clinic, sent_sql):
    path = request_path(clinic)
    client.get(path)
    queries = sent_sql()
    assert client.get(path).status_code == 200
    assert len(queries) == 1 and '"clinic"' in queries[0]


def test_a_retired_service_and_a_deleted_question_leave_the_very_next_view(client, clinic):
    path = request_path(clinic)
    question = clinic_settings.add_question(clinic, "Which evenings suit you?", "short_text")
    service = first_service(clinic)
    page = text(client.get(path))
    assert service.name in page and question.label in page
    clinic_settings.set_service_retired(Service.get_by_id(service.id), True)
    assert service.name not in text(client.get(path))
    clinic_settings.delete_question(question)
    assert question.label not in text(client.get(path))


def test_moved_questions_show_in_their_new_order(client, clinic):
    path = request_path(clinic)
    first = clinic_settings.add_question(clinic, "First asked", "short_text")
    clinic_settings.add_question(clinic, "Second asked", "short_text")
    page = text(client.get(path))
    assert page.index("First asked") < page.index("Second asked")
    clinic_settings.move_question(first, "down")
    page = text(client.get(path))
    assert page.index("Second asked") < page.index("First asked")


def test_turning_requests_off_closes_the_kept_form(client, clinic):
    path = request_path(clinic)
    assert client.get(path).status_code == 200
    clinic_settings.set_requests_enabled(fresh(clinic), False)
    assert client.get(path).status_code == 403


def test_framing_follows_the_websites_as_they_are_now(client, clinic):
    path = request_path(clinic)
    assert "frame-ancestors *" in client.get(path).headers["Content-Security-Policy"]
    clinic_settings.save_websites(clinic, ["https://harbour.example"])
    policy = client.get(path).headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://harbour.example" in policy


def test_each_view_gets_its_own_form_token_and_its_own_language(client, clinic):
    path = request_path(clinic)
    clinic_settings.save_languages(fresh(clinic), "en", ["en", "de"], {}, {}, {})
    first, second = client.get(path), client.get(path)
    assert form_token(first) != form_token(second)
    assert text(first).replace(form_token(first), "") == text(second).replace(form_token(second), "")
    assert '<html lang="de"' in text(client.get(path, headers={"Accept-Language": "de"}))
    assert '<html lang="en"' in text(client.get(path))


def test_a_kept_page_takes_the_request_it_was_shown_for(app, client, clinic):
    path = request_path(clinic)
    client.get(path)
    shown = client.get(path)
    sent = client.post(
        path,
        data={"form_token": form_token(shown), "name": "Sam Rivera", "email": "sam@example.com", "tz": "Europe/London"},
    )
    assert sent.status_code == 200
    assert "sam@example.com" in text(sent)


def test_a_form_sent_after_a_settings_change_is_checked_against_the_change(client, clinic):
    """The POST's services and questions are kept like the page (page_cache.kept_rows): never out of date either."""
    visitor = Visitor(client, request_path(clinic))
    assert visitor.send(email="first@example.com").status_code == 200
    question = clinic_settings.add_question(clinic, "Which evenings suit you?", "short_text", required=True)
    unanswered = visitor.send(email="second@example.com")
    assert unanswered.status_code == 422 and question.label in text(unanswered)
    service = first_service(clinic)
    clinic_settings.set_service_retired(Service.get_by_id(service.id), True)
    retired = visitor.send(email="third@example.com", service=str(service.id), **{f"q_{question.id}": "Tuesdays"})
    assert retired.status_code == 422
    assert [r.client.email for r in Request.select()] == ["first@example.com"]


def test_a_sent_form_reads_no_services_or_questions_its_page_read(client, clinic, sent_sql):
    visitor = Visitor(client, request_path(clinic))
    token = form_token(visitor.open())
    queries = sent_sql()
    assert visitor.send(token=token).status_code == 200
    assert not [q for q in queries if 'FROM "service"' in q or 'FROM "question"' in q]

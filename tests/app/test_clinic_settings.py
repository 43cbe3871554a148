"""The clinic's settings as domain functions: the rules hold whichever page or command calls them."""

import pytest
from frontdesk import clinic_settings
from frontdesk.models import Clinic, Question, Service


def fresh(clinic):
    return Clinic.get_by_id(clinic.id)


def test_the_terms_link_stays_while_clients_are_asked_to_agree_to_it(clinic):
    clinic_settings.save_requirements(clinic, {"terms_consent": "required"})
    with pytest.raises(clinic_settings.TermsInUse):
        clinic_settings.save_terms(fresh(clinic), "")
    assert fresh(clinic).terms_url == "https://harbour.example/terms"


def test_clients_cannot_be_asked_to_agree_to_terms_without_a_link(clinic):
    clinic_settings.save_terms(clinic, "")
    with pytest.raises(clinic_settings.TermsMissing):
        clinic_settings.save_requirements(fresh(clinic), {"terms_consent": "optional"})
    assert fresh(clinic).registration.get("terms_consent", "off") == "off"


def test_questions_are_added_last_and_moved_one_place_at_a_time(clinic):
    first = clinic_settings.add_question(clinic, " First ", "short_text", choices=["ignored"])
    second = clinic_settings.add_question(clinic, "Second", "single_choice", choices=["a", "b"])
    assert (first.label, first.choices, second.choices) == ("First", [], ["a", "b"])
    clinic_settings.move_question(Question.get_by_id(first.id), "up")  # already first: nothing moves
    clinic_settings.move_question(Question.get_by_id(first.id), "down")
    assert [q.label for q in clinic_settings.ordered_questions(clinic)] == ["Second", "First"]


def test_an_archived_service_is_no_longer_offered(clinic):
    added = clinic_settings.add_service(clinic, " Couples session ", 80)
    assert [s.name for s in clinic_settings.offered_services(clinic)] == ["Initial consultation", "Couples session"]
    clinic_settings.archive_service(added)
    assert [s.name for s in clinic_settings.offered_services(clinic)] == ["Initial consultation"]
    assert Service.get_by_id(added.id).name == "Couples session"


def test_languages_keep_the_texts_of_a_language_left_out(clinic):
    [service] = clinic_settings.offered_services(clinic)
    clinic_settings.save_languages(clinic, "en", ["de"], {"de": " AGB "}, {service.id: {"de": " Erstgespräch "}}, {})
    clinic_settings.save_languages(fresh(clinic), "de", [], {}, {}, {})
    saved = fresh(clinic)
    assert (saved.default_language, saved.languages, saved.terms_label) == ("de", ["de"], {"de": "AGB"})
    assert Service.get_by_id(service.id).name_translations == {"de": "Erstgespräch"}

"""Client pages and emails in the client's language: which language wins, the switcher, the clinic's
own texts per language, translated errors, right-to-left Arabic, and times in the client's timezone."""

import re

import pytest
from flask import render_template_string
from frontdesk import urls
from frontdesk.models import Client, Clinic, OutboxMessage, Question, Service

from tests.conftest import outbox
from tests.pages import field, form_token, parse, texts

from .booking_fixtures import make_client, make_session
from .conftest import path_of, request_path, text

HTML_LANG = re.compile(r'<html lang="([^"]+)" dir="([^"]+)"')


def page_language(response):
    return HTML_LANG.search(response.get_data(as_text=True)).groups()


@pytest.mark.parametrize(
    "lang, words, direction",
    [
        ("de", "Leistung anfragen", "ltr"),
        ("es", "Solicitar", "ltr"),
        ("pl", "Zgłoszenie", "ltr"),
        ("is", "Óska eftir", "ltr"),
        ("ar", "طلب خدمة", "rtl"),
    ],
)
def test_the_embeds_lang_shows_the_form_in_that_language(client, clinic, lang, words, direction):
    response = client.get(request_path(clinic) + f"?lang={lang}")
    assert page_language(response) == (lang, direction)
    assert words in text(response)
    assert "Request a service" not in text(response)


def test_the_browser_language_is_used_when_the_embed_names_none(client, clinic):
    response = client.get(request_path(clinic), headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})
    assert page_language(response) == ("pl", "ltr")


def test_the_embeds_lang_wins_over_the_browser(client, clinic):
    response = client.get(request_path(clinic) + "?lang=es", headers={"Accept-Language": "de"})
    assert page_language(response)[0] == "es"


def test_the_clinic_default_is_used_when_the_browser_asks_for_nothing_offered(client, clinic):
    Clinic.update(default_language="is").execute()
    response = client.get(request_path(clinic), headers={"Accept-Language": "fr-FR,fr"})
    assert page_language(response)[0] == "is"


def test_a_clients_saved_language_wins_over_the_browser_on_their_pages(client, clinic):
    kim = make_client(clinic)
    Client.update(language="de").where(Client.id == kim.id).execute()
    session = make_session(clinic, 72, client=Client.get_by_id(kim.id))
    response = client.get(path_of(urls.manage_link(session)), headers={"Accept-Language": "es"})
    assert page_language(response)[0] == "de"
    assert "Ihre Sitzung" in text(response) and "Your session" not in text(response)


def test_only_the_languages_the_clinic_offers_are_shown_and_switchable(client, clinic):
    Clinic.update(languages=["en", "de"]).execute()
    response = client.get(request_path(clinic) + "?lang=ar", headers={"Accept-Language": "ar"})
    assert page_language(response)[0] == "en"
    (switcher,) = texts(response, "nav", class_="languages")
    assert "Deutsch" in switcher and "English" in switcher and "العربية" not in switcher


def test_switching_language_keeps_what_was_typed_and_sends_nothing(client, clinic):
    page = client.get(request_path(clinic))
    response = client.post(
        request_path(clinic),
        data={
            "form_token": form_token(page),
            "name": "Åsa Jónsdóttir",
            "email": "asa@example.com",
            "message": "Halló",
            "switch_language": "is",
        },
    )
    assert response.status_code == 200
    assert page_language(response)[0] == "is"
    body = text(response)
    assert field(body, "name") == "Åsa Jónsdóttir" and parse(body).find("textarea", name="message").text == "Halló"
    assert "lang=is" in parse(body).find("form", method="post")["action"], "the next submit stays in Icelandic"
    assert OutboxMessage.select().count() == 0


def test_validation_errors_are_in_the_pages_language(client, clinic):
    path = request_path(clinic) + "?lang=de"
    page = client.get(path)
    response = client.post(path, data={"form_token": form_token(page), "name": "", "email": "nicht-gültig"})
    assert response.status_code == 422
    body = text(response)
    assert "Please" not in body and "Bitte" in body


def test_the_request_and_its_emails_are_in_the_language_the_client_used(client, clinic):
    path = request_path(clinic) + "?lang=es"
    page = client.get(path)
    response = client.post(path, data={"form_token": form_token(page), "name": "Lucía", "email": "lucia@example.com"})
    assert response.status_code == 200
    assert Client.get(Client.email == "lucia@example.com").language == "es"
    (to_client,) = outbox("lucia@example.com")
    assert "Harbour Counselling" in to_client.subject and "We received" not in to_client.subject
    assert to_client.text_body.startswith("Hola, Lucía:")
    (to_clinic,) = outbox("owner@harbour.example")
    assert to_clinic.subject.startswith("New request"), "the clinic reads its own default language"


def test_the_clinics_own_texts_follow_the_language_and_answers_keep_the_default_wording(client, clinic):
    Service.update(name_translations={"de": "Erstgespräch"}).execute()
    question = Question.create(
        clinic=clinic,
        label="Best time?",
        kind="single_choice",
        choices=["Morning", "Evening"],
        translations={"de": {"label": "Beste Zeit?", "choices": ["Morgens", "Abends"]}},
    )
    Clinic.update(terms_label={"de": "Unsere AGB"}, registration={"terms_consent": "optional"}).execute()
    path = request_path(clinic) + "?lang=de"
    page = client.get(path)
    body = text(page)
    assert "Erstgespräch" in body and "Beste Zeit?" in body and "Morgens" in body and "Unsere AGB" in body
    assert "Initial consultation" not in body and "Best time?" not in body
    english = text(client.get(request_path(clinic) + "?lang=en"))
    assert "Initial consultation" in english and "Best time?" in english

    response = client.post(
        path,
        data={
            "form_token": form_token(page),
            "name": "Jonas",
            "email": "jonas@example.com",
            f"q_{question.id}": "Evening",
        },
    )
    assert response.status_code == 200
    request = Client.get(Client.email == "jonas@example.com").requests.get()
    assert {"question": "Best time?", "kind": "single_choice", "value": "Evening"} in request.answers


def test_a_text_missing_in_a_language_falls_back_to_the_clinics_default(client, clinic):
    Question.create(clinic=clinic, label="Anything else?", kind="short_text", translations={"de": {"label": ""}})
    assert "Anything else?" in text(client.get(request_path(clinic) + "?lang=de"))


def test_dates_and_times_are_formatted_for_the_language(client, clinic):
    session = make_session(clinic, 24 * 9)
    german = text(client.get(path_of(urls.manage_link(session)) + "?lang=de"))
    english = text(client.get(path_of(urls.manage_link(session)) + "?lang=en"))
    weekdays_de = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
    weekdays_en = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    assert any(day in german for day in weekdays_de) and not any(day in german for day in weekdays_en)
    assert any(day in english for day in weekdays_en)


def test_times_are_shown_in_the_browsers_timezone(client, clinic):
    session = make_session(clinic, 24 * 9)
    london = page_times(client.get(path_of(urls.manage_link(session)) + "?lang=en"))
    new_york = page_times(client.get(path_of(urls.manage_link(session)) + "?lang=en&tz=America/New_York"))
    assert london and new_york and london != new_york
    bogus = page_times(client.get(path_of(urls.manage_link(session)) + "?lang=en&tz=Not/AZone"))
    assert bogus == london, "an unknown timezone is ignored"


def page_times(response):
    return re.findall(r"\d{1,2}:\d{2}\s?[AP]M", text(response))


def test_the_timezone_the_browser_sends_with_a_form_is_used_in_the_clients_emails(client, clinic):
    page = client.get(request_path(clinic))
    client.post(
        request_path(clinic),
        data={"form_token": form_token(page), "name": "Ana", "email": "ana@example.com", "tz": "America/Sao_Paulo"},
    )
    assert Client.get(Client.email == "ana@example.com").timezone == "America/Sao_Paulo"
    page = client.get(request_path(clinic))
    client.post(
        request_path(clinic),
        data={"form_token": form_token(page), "name": "Ana", "email": "ana@example.com", "tz": "Nowhere/Special"},
    )
    assert Client.get(Client.email == "ana@example.com").timezone == "America/Sao_Paulo"


def test_the_clinic_chooses_its_languages_and_writes_its_texts_per_language(client, clinic, owner):
    service = Service.get(Service.clinic == clinic)
    question = Question.create(clinic=clinic, label="Best time?", kind="single_choice", choices=["Morning", "Evening"])
    response = owner.post(
        "/workstation/settings/languages",
        {
            "default_language": "en",
            "languages": ["en", "de", "ar"],
            f"service_{service.id}_de": "Erstgespräch",
            f"question_{question.id}_de": "Beste Zeit?",
            f"question_{question.id}_de_choices": "Morgens\nAbends",
            "terms_label_de": "Unsere AGB",
        },
        page="/workstation/settings/languages",
    )
    assert response.status_code == 302
    saved = Clinic.get_by_id(clinic.id)
    assert saved.languages == ["ar", "de", "en"]
    assert Service.get_by_id(service.id).name_translations == {"de": "Erstgespräch"}
    assert Question.get_by_id(question.id).translations["de"] == {
        "label": "Beste Zeit?",
        "choices": ["Morgens", "Abends"],
    }
    assert saved.terms_label == {"de": "Unsere AGB"}


def test_only_the_owner_changes_languages(client, clinic, staff):
    response = staff.post(
        "/workstation/settings/languages",
        {"default_language": "de", "languages": ["de"]},
        page="/workstation/settings/languages",
    )
    assert response.status_code == 403
    assert Clinic.get_by_id(clinic.id).default_language == "en"


def test_an_email_is_marked_with_its_readers_language_and_direction(client, clinic):
    path = request_path(clinic) + "?lang=ar"
    page = client.get(path)
    response = client.post(path, data={"form_token": form_token(page), "name": "Layla", "email": "layla@example.com"})
    assert response.status_code == 200
    (to_client,) = outbox("layla@example.com")
    assert HTML_LANG.search(to_client.html_body).groups() == ("ar", "rtl")
    (to_clinic,) = outbox("owner@harbour.example")
    assert HTML_LANG.search(to_clinic.html_body).groups() == ("en", "ltr")


def test_a_translated_text_shows_as_written_and_what_is_put_in_it_escaped(app):
    """Templates' gettext is bound once per render (language_choice.language_context) with Jinja's own meaning:
    in HTML the translation is kept as written and only the values put into it are escaped."""
    source = (
        "{{ _('Hello %(name)s,', name=name) }} {{ _(\"Please be aware that a modification penalty may apply"
        " depending on the professional's Terms & Conditions.\") }} {{ ngettext('%(num)s day', '%(num)s days', 2) }}"
    )
    with app.test_request_context("/"):
        shown = render_template_string(source, name="<b>Sam</b>")
    assert shown == (
        "Hello &lt;b&gt;Sam&lt;/b&gt;, Please be aware that a modification penalty may apply depending on the"
        " professional's Terms & Conditions. 2 days"
    )

"""What a clinic's public forms ask and allow, and what it offers: the websites that may show its pages,
requests on or off, its terms, the registration fields, its own questions, its services, its cancellation
policy and its languages. One function per change; each owns its transaction."""

from . import charges, registration
from .db import database
from .models import Clinic, Question, Service
from .validators import NAME_LENGTH, QUESTION_LENGTH

# How much of a clinic's own translated text is kept (the fields' lengths on the languages page).
TERMS_LABEL_LENGTH = 120


class TermsInUse(ValueError):
    """The request form asks clients to agree to the terms, so the terms link cannot go."""


class TermsMissing(ValueError):
    """Clients cannot be asked to agree to terms the clinic has not linked."""


def _update_clinic(clinic, **fields):
    Clinic.update(**fields).where(Clinic.id == clinic.id).execute()


def save_websites(clinic, origins):
    """Only these origins may frame the clinic's pages; none means any website may."""
    _update_clinic(clinic, allowed_origins=origins)


def set_requests_enabled(clinic, enabled):
    _update_clinic(clinic, requests_enabled=enabled)


def save_terms(clinic, terms_url):
    """Set or clear the terms link; cleared only while the request form does not ask to agree to it."""
    if not terms_url and registration.mode(clinic, "terms_consent") != registration.OFF:
        raise TermsInUse()
    _update_clinic(clinic, terms_url=terms_url or "")


def save_requirements(clinic, modes):
    """Set each built-in registration field's mode ({key: mode}); agreeing to terms needs a terms link."""
    if modes.get("terms_consent", registration.OFF) != registration.OFF and not clinic.terms_url:
        raise TermsMissing()
    _update_clinic(clinic, registration=modes)


def save_policy(clinic, policy_hours, late_fee, currency):
    """The notice below which a cancellation is late, and the fee (in the currency's units) charged for it."""
    _update_clinic(
        clinic, policy_hours=policy_hours, late_fee_cents=charges.to_cents(late_fee), currency=currency.upper()
    )


def save_retention(clinic, request_days, mail_body_days):
    """How long declined requests, and the text of delivered emails, are kept (privacy.purge applies it)."""
    _update_clinic(clinic, request_retention_days=request_days, mail_body_retention_days=mail_body_days)


def save_sender_name(clinic, name):
    """The discreet name client emails come from and their subjects use; "" for the clinic's own."""
    _update_clinic(clinic, mail_sender_name=name)


def save_privacy_notice(clinic, notices, asks_consent):
    """The privacy notice's address per language, and whether the public forms ask clients to agree to it."""
    _update_clinic(clinic, privacy_notice=notices, privacy_consent=asks_consent)


def ordered_questions(clinic):
    return clinic.questions.order_by(Question.position, Question.id)


def add_question(clinic, label, kind, choices=(), required=False):
    """A question at the end of the request form; choices are kept only for the kinds that offer them."""
    with database.atomic():
        last = clinic.questions.order_by(Question.position.desc()).first()
        return Question.create(
            clinic=clinic,
            label=label.strip(),
            kind=kind,
            choices=list(choices) if kind in registration.CHOICE_KINDS else [],
            required=required,
            position=(last.position + 1) if last else 0,
        )


def move_question(question, direction):
    """Swap the question with its neighbour above ("up") or below ("down"); at either end nothing moves."""
    ordered = list(ordered_questions(question.clinic))
    index = ordered.index(question)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    with database.atomic():
        for position, item in enumerate(ordered):
            Question.update(position=position).where(Question.id == item.id).execute()


def delete_question(question):
    question.delete_instance()


def offered_services(clinic):
    return clinic.services.where(Service.active).order_by(Service.position, Service.name)


def add_service(clinic, name, duration_minutes, **fields):
    """A service offered after the clinic's others."""
    with database.atomic():
        return Service.create(
            clinic=clinic,
            name=name.strip(),
            duration_minutes=duration_minutes,
            position=clinic.services.count(),
            **fields,
        )


def archive_service(service):
    """No longer offered; sessions already booked keep it."""
    Service.update(active=False).where(Service.id == service.id).execute()


def save_languages(clinic, default, offered, terms_labels, service_names, question_texts):
    """The languages the clinic's pages offer (the default always among them) and the clinic's own texts in
    each: {code: terms label}, {service id: {code: name}}, {question id: {code: {"label", "choices"}}}.
    A language left out keeps its texts for later."""
    offered = sorted(set(offered) | {default})
    terms_label = {
        **(clinic.terms_label or {}),
        **{code: label.strip()[:TERMS_LABEL_LENGTH] for code, label in terms_labels.items()},
    }
    with database.atomic():
        _update_clinic(clinic, default_language=default, languages=offered, terms_label=terms_label)
        for service in clinic.services.where(Service.active):
            _translate_service(service, service_names.get(service.id, {}))
        for question in clinic.questions:
            _translate_question(question, question_texts.get(question.id, {}))


def _translate_service(service, names):
    service.name_translations = {
        **(service.name_translations or {}),
        **{code: name.strip()[:NAME_LENGTH] for code, name in names.items()},
    }
    service.save()


def _translate_question(question, texts):
    question.translations = {
        **(question.translations or {}),
        **{
            code: {"label": text["label"].strip()[:QUESTION_LENGTH], "choices": text["choices"]}
            for code, text in texts.items()
        },
    }
    question.save()

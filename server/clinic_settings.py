"""What a clinic is and what its public forms ask and allow, and what it offers: its name, zone, country,
currency, languages and date style, the websites that may show its pages, requests on or off, its terms, the
registration fields, its own questions, its services, its cancellation policy. One function per change; each
owns its transaction.

The clinic's settings and each service carry a version: a form sends the version it was read at, and a save
from an older one raises Stale and changes nothing, so two owners saving at once never silently overwrite
each other.

Every change here also raises the clinic's pages version (`pages_changed`) in its own transaction: the public
pages rendered before it are then never served again (server/page_cache.py). Any new writer of something a
public page shows calls it too."""

from dataclasses import dataclass

from . import booking, charges, places, registration
from .db import CompiledQuery, database, lock_rows
from .models import Clinic, Professional, Question, Service, ServiceProfessional
from .states import PlaceKind
from .validators import NAME_LENGTH, QUESTION_LENGTH

DATE_STYLES = ("short", "medium", "long")


class Stale(Exception):
    """The form was read at an older version than the row has now: someone saved in between."""


# How much of a clinic's own translated text is kept (the fields' lengths on the languages page).
TERMS_LABEL_LENGTH = 120


class TermsInUse(ValueError):
    """The request form asks clients to agree to the terms, so the terms link cannot go."""


class TermsMissing(ValueError):
    """Clients cannot be asked to agree to terms the clinic has not linked."""


def pages_changed(clinic_id):
    """Say that what the clinic's public pages show has changed: pages rendered before are out of date.
    Call it inside the change's transaction, so no page is read at the new version before the change is."""
    Clinic.update(pages_version=Clinic.pages_version + 1).where(Clinic.id == clinic_id).execute()


def _update_clinic(clinic, **fields):
    """Change the clinic's row; its public pages' version rises in the same statement."""
    Clinic.update(**fields, pages_version=Clinic.pages_version + 1).where(Clinic.id == clinic.id).execute()


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
        clinic,
        policy_hours=policy_hours,
        late_fee_cents=charges.to_cents(late_fee),
        currency=currency.upper(),
        settings_version=Clinic.settings_version + 1,  # the clinic page's currency is now out of date
    )


def save_retention(clinic, request_days, mail_body_days):
    """How long declined requests, and the text of delivered emails, are kept (privacy.purge applies it)."""
    _update_clinic(clinic, request_retention_days=request_days, mail_body_retention_days=mail_body_days)


def save_sender_name(clinic, name):
    """The discreet name client emails come from and their subjects use; "" for the clinic's own."""
    _update_clinic(clinic, mail_sender_name=name)


def save_holds(clinic, confirm_self_bookings, hold_minutes):
    """Whether a session a client books themselves is only held until they confirm it from the email, and for
    how many minutes (booking.check_hold_minutes: raises booking.BookingError outside its bounds)."""
    booking.check_hold_minutes(hold_minutes)
    _update_clinic(clinic, confirm_self_bookings=confirm_self_bookings, hold_minutes=hold_minutes)


def save_privacy_notice(clinic, notices, asks_consent):
    """The privacy notice's address per language, and whether the public forms ask clients to agree to it."""
    _update_clinic(clinic, privacy_notice=notices, privacy_consent=asks_consent)


# Every request and booking form reads the clinic's questions and services (db.CompiledQuery: SQL built once).
_QUESTIONS = CompiledQuery(
    lambda clinic: Question.select().where(Question.clinic == clinic).order_by(Question.position, Question.id)
)
_OFFERED = CompiledQuery(
    lambda clinic: (
        Service.select().where(Service.clinic == clinic, Service.active).order_by(Service.position, Service.name)
    )
)


def ordered_questions(clinic):
    """The clinic's own questions, in its order (a list)."""
    return _QUESTIONS.all(clinic.id)


def add_question(clinic, label, kind, choices=(), required=False):
    """A question at the end of the request form; choices are kept only for the kinds that offer them."""
    with database.atomic():
        pages_changed(clinic.id)
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
        pages_changed(question.clinic_id)
        for position, item in enumerate(ordered):
            Question.update(position=position).where(Question.id == item.id).execute()


def delete_question(question):
    with database.atomic():
        pages_changed(question.clinic_id)
        question.delete_instance()


@dataclass(frozen=True)
class ClinicDetails:
    """What the clinic settings page sets, all at once."""

    name: str
    timezone: str
    country: str
    currency: str
    default_language: str
    date_style: str
    slot_grid_minutes: int
    address: str = ""  # where sessions in person take place (places.py)


def save_details(clinic, details, read_version):
    """Save the clinic's details unless someone saved since `read_version` (then raise Stale). The default
    language joins the languages offered. Working hours are wall-clock times, so after a change of zone
    they mean the same hours in the new zone; sessions keep their instant (stored in UTC). Raises
    places.BadPlace for an address that cannot be kept."""
    address = places.clean_address(details.address)
    with database.atomic():
        current = lock_rows(Clinic.select().where(Clinic.id == clinic.id)).get()
        if current.settings_version != read_version:
            raise Stale()
        languages = current.languages or []
        if languages and details.default_language not in languages:
            languages = sorted({*languages, details.default_language})
        _update_clinic(
            clinic,
            name=details.name.strip(),
            timezone=details.timezone,
            country=details.country.upper(),
            currency=details.currency.upper(),
            default_language=details.default_language,
            languages=languages,
            date_style=details.date_style,
            slot_grid_minutes=details.slot_grid_minutes,
            address=address,
            settings_version=current.settings_version + 1,
        )
    return Clinic.get_by_id(clinic.id)


def offered_services(clinic):
    """The services in use, in the clinic's order (a list): retired ones are left out."""
    return _OFFERED.all(clinic.id)


def retired_services(clinic):
    return clinic.services.where(~Service.active).order_by(Service.position, Service.name)


def _bookable(clinic, professional):
    named = ServiceProfessional.select(ServiceProfessional.service).where(
        ServiceProfessional.professional == professional
    )
    anyone = ServiceProfessional.select(ServiceProfessional.service)
    return (
        Service.select()
        .where(Service.clinic == clinic, Service.active, Service.bookable_online)
        .where(Service.id.in_(named) | Service.id.not_in(anyone))
        .order_by(Service.position, Service.name)
    )


# Every booking page and booking asks (db.CompiledQuery: SQL built once).
_BOOKABLE = CompiledQuery(_bookable)


def bookable_services(professional):
    """The services a client may book online with the professional, in the clinic's order: in use, bookable
    online, and offered by them (a service offered by nobody in particular is offered by everyone)."""
    return _BOOKABLE.all(professional.clinic_id, professional.id)


def offered_by(service):
    """Ids of the professionals who offer the service; empty means every professional of the clinic."""
    return [row.professional_id for row in service.offered_by.order_by(ServiceProfessional.professional)]


def add_service(clinic, name, duration_minutes, **fields):
    """A service offered after the clinic's others."""
    with database.atomic():
        pages_changed(clinic.id)
        return Service.create(
            clinic=clinic,
            name=name.strip(),
            duration_minutes=duration_minutes,
            position=clinic.services.count(),
            **fields,
        )


@dataclass(frozen=True)
class ServiceDetails:
    """What the service form sets. Amounts are in the currency's units; None leaves them unset (no price
    shown; the clinic's default late fee). `names` is {language: name} in the clinic's other languages;
    `professional_ids` empty means every professional."""

    name: str
    duration_minutes: int
    price: object
    late_fee: object
    bookable_online: bool
    professional_ids: tuple
    names: dict
    place: str = PlaceKind.IN_PERSON  # where its sessions take place (places.py)


class NotTheClinics(ValueError):
    """A professional id that is not one of the service's clinic's."""


def save_service(service, details, read_version):
    """Edit a service unless someone saved it since `read_version` (then raise Stale). Sessions already
    booked keep the length, price and fee they were booked with."""
    ids = set(details.professional_ids)
    with database.atomic():
        current = lock_rows(Service.select().where(Service.id == service.id)).get()
        if current.version != read_version:
            raise Stale()
        theirs = Professional.select().where(Professional.clinic == current.clinic_id, Professional.id.in_(list(ids)))
        if ids and theirs.count() != len(ids):
            raise NotTheClinics()
        pages_changed(current.clinic_id)
        Service.update(
            name=details.name.strip(),
            duration_minutes=details.duration_minutes,
            price_cents=None if details.price is None else charges.to_cents(details.price),
            late_fee_cents=None if details.late_fee is None else charges.to_cents(details.late_fee),
            bookable_online=details.bookable_online,
            place=PlaceKind(details.place),
            name_translations={
                **(current.name_translations or {}),
                **{code: name.strip()[:NAME_LENGTH] for code, name in details.names.items() if name.strip()},
            },
            version=current.version + 1,
        ).where(Service.id == service.id).execute()
        ServiceProfessional.delete().where(ServiceProfessional.service == service).execute()
        for professional_id in sorted(ids):
            ServiceProfessional.create(service=service, professional=professional_id)
    return Service.get_by_id(service.id)


def set_service_retired(service, retired):
    """Retire a service (no longer offered on any page or for new bookings; past sessions and charges keep it)
    or bring it back."""
    with database.atomic():
        pages_changed(service.clinic_id)
        Service.update(active=not retired, version=Service.version + 1).where(Service.id == service.id).execute()


def archive_service(service):
    """No longer offered; sessions already booked keep it."""
    set_service_retired(service, True)


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
        _update_clinic(
            clinic,
            default_language=default,
            languages=offered,
            terms_label=terms_label,
            settings_version=Clinic.settings_version + 1,  # the clinic page's default language may be out of date
        )
        for service in clinic.services.where(Service.active):
            _translate_service(service, service_names.get(service.id, {}))
        for question in clinic.questions:
            _translate_question(question, question_texts.get(question.id, {}))


def _translate_service(service, names):
    service.name_translations = {
        **(service.name_translations or {}),
        **{code: name.strip()[:NAME_LENGTH] for code, name in names.items()},
    }
    service.version += 1  # an open service editor's names are now out of date
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

"""The request form, built for each clinic from its registration settings and its own questions.

Client pages set no cookies, so these forms use no CSRF cookie: a signed form token (links.py),
a honeypot field and a minimum fill time stand in for it.
"""

import datetime
import functools

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional

from .. import registration
from ..clinic_texts import question_text, service_name
from ..form_base import PageForm
from ..language_choice import available_languages, language_name
from ..validators import (
    EMAIL_LENGTH,
    LINE_LENGTH,
    LONG_TEXT_LENGTH,
    NAME_LENGTH,
    PHONE_LENGTH,
    REQUIRED,
    SHORT_TEXT_LENGTH,
    DateInput,
    Email,
    NameCharacters,
    NoControlCharacters,
    PastDate,
    Phone,
    max_length,
)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PublicForm(PageForm):
    class Meta:
        csrf = False

    # Hidden fields get an empty label, never shown: without one, WTForms translates a label made from the
    # name, which loads its own message catalog from disk on every request.
    form_token = HiddenField("")
    tz = HiddenField("")  # the browser's timezone, filled in by client.js, so emails show the client's time
    # Hidden from people (see client.css); a bot that fills every field fills this one too.
    website = StringField(_l("Leave this field empty"))


def your_name_field():
    """Who is asking or booking: the same field on every public form."""
    return StringField(
        _l("Your name"),
        [DataRequired(message=REQUIRED), max_length(NAME_LENGTH), NameCharacters()],
        render_kw={"autocomplete": "name"},
    )


def email_field():
    return EmailField(
        _l("Email"),
        [DataRequired(message=REQUIRED), max_length(EMAIL_LENGTH), Email()],
        render_kw={"autocomplete": "email"},
    )


def _presence(required):
    return [DataRequired(message=REQUIRED)] if required else [Optional()]


def _builtin_field(key, required, country):
    label = registration.FIELDS[key]
    if key == "phone":
        return StringField(
            label,
            _presence(required) + [max_length(PHONE_LENGTH), Phone(country)],
            render_kw={"autocomplete": "tel", "inputmode": "tel"},
        )
    if key == "date_of_birth":
        return DateInput(
            label,
            _presence(required) + [PastDate()],
            render_kw={"autocomplete": "bday"},
            description=_l("For example 1990-04-23"),
        )
    if key == "address":
        return TextAreaField(
            label,
            _presence(required) + [max_length(LINE_LENGTH)],
            render_kw={"autocomplete": "street-address", "rows": 3},
        )
    if key == "preferred_language":
        choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(code, language_name(code)) for code in available_languages()
        ]
        return SelectField(label, _presence(required), choices=choices)
    if key == "reason":
        return TextAreaField(label, _presence(required) + [max_length(LONG_TEXT_LENGTH)], render_kw={"rows": 4})
    if key == "terms_consent":
        return BooleanField(
            label, [DataRequired(message=_l("Please agree to the terms to continue."))] if required else []
        )
    return StringField(label, _presence(required) + [max_length(SHORT_TEXT_LENGTH), NoControlCharacters()])


def _question_spec(question):
    """The clinic's question in the current language, as plain values; its choices pair the default
    language's wording (their value, whatever language the client reads them in) with the shown text."""
    label, shown = question_text(question)
    return question.id, question.kind, question.required, label, tuple(zip(question.choices, shown))


def _question_field(kind, required, label, choices):
    choices = [SelectChoice(value, text) for value, text in choices]
    if kind == "long_text":
        return TextAreaField(label, _presence(required) + [max_length(LONG_TEXT_LENGTH)], render_kw={"rows": 4})
    if kind == "single_choice":
        return RadioField(
            label, [InputRequired(message=_l("Please choose one."))] if required else [Optional()], choices=choices
        )
    if kind == "multiple_choice":
        return MultiCheckboxField(
            label,
            [DataRequired(message=_l("Please choose at least one."))] if required else [Optional()],
            choices=choices,
        )
    if kind == "yes_no":
        return RadioField(
            label,
            [InputRequired(message=_l("Please choose one."))] if required else [Optional()],
            choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        )
    return StringField(label, _presence(required) + [max_length(LINE_LENGTH)])


def request_form_class(clinic, services, questions):
    """A form class for this clinic's request form as it is set up now."""
    return _request_form_class(
        clinic.country,
        tuple(registration.asked(clinic)),
        tuple((str(s.id), service_name(s)) for s in services),
        tuple(_question_spec(q) for q in questions),
        clinic.privacy_consent,
    )


def consent_field():
    """The box a client ticks to agree to the clinic's privacy notice, where the clinic asks for it."""
    return BooleanField(
        registration.CONSENT_LABEL, [DataRequired(message=_l("Please agree to the privacy notice to continue."))]
    )


def consent_given(form):
    """(the wording as the client read it, ticked) when the form asked for consent; ("", False) otherwise."""
    if "privacy_consent" not in form:
        return "", False
    return str(form.privacy_consent.label.text), bool(form.privacy_consent.data)


@functools.lru_cache(maxsize=256)
def _request_form_class(country, asked, services, questions, asks_consent=False):
    """Built once per setup and language: a new class on every request cost more than the rest of the
    form's work (in-process, about a sixth of the page). The key is everything the class is made of,
    read from the database on each request, so a clinic's change shows at once, in every process."""

    class RequestForm(PublicForm):
        name = your_name_field()
        email = email_field()
        service = SelectField(
            _l("Service"),
            [Optional()],
            choices=[SelectChoice("", _l("Not sure yet"))] + [SelectChoice(*s) for s in services],
        )
        message = TextAreaField(
            _l("Message"),
            [Optional(), max_length(LONG_TEXT_LENGTH)],
            render_kw={"rows": 4},
            description=_l("Anything you would like the clinic to know."),
        )

    _add_requirements(RequestForm, country, asked, questions, asks_consent)
    return RequestForm


class ActionForm(PublicForm):
    """A confirm button on a client page: only the form token is checked."""


class CancelForm(ActionForm):
    """Cancelling a session, with the client's own reason if they wish to give one (the professional reads it)."""

    note = TextAreaField(
        _l("Would you like to tell us why? (optional)"),
        [Optional(), max_length(LONG_TEXT_LENGTH)],
        description=_l("Only the professional reads this."),
        render_kw={"rows": 3},
    )


# No slot lies within a week of the ends of the calendar, where date arithmetic would overflow.
EARLIEST = datetime.datetime.min + datetime.timedelta(days=7)
LATEST = datetime.datetime.max - datetime.timedelta(days=7)


def parse_utc(text):
    """A slot's start from ISO text as the pages list it (naive UTC), or None. A start sent with an
    offset is converted, so it compares with the naive UTC times the rules use instead of failing."""
    try:
        moment = datetime.datetime.fromisoformat(text or "")
        if moment.tzinfo is not None:
            moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
    return moment if EARLIEST <= moment <= LATEST else None


class SlotForm(PublicForm):
    """A chosen slot: its UTC start as ISO text, as the page listed it."""

    start = HiddenField("")

    def start_utc(self):
        return parse_utc(self.start.data)


class BookingDetailsForm(SlotForm):
    """Who is booking: enough to make their client account and send the confirmation."""

    name = your_name_field()
    email = email_field()


def booking_form_class(clinic, questions):
    """The booking details form with what the clinic's registration asks (the built-in fields, its own
    questions, consent to its privacy notice), the same as its request form asks."""
    return _booking_form_class(
        clinic.country,
        tuple(registration.asked(clinic)),
        tuple(_question_spec(q) for q in questions),
        clinic.privacy_consent,
    )


@functools.lru_cache(maxsize=256)
def _booking_form_class(country, asked, questions, asks_consent):
    """Cached like _request_form_class, for the same reason."""

    class BookingForm(BookingDetailsForm):
        pass

    _add_requirements(BookingForm, country, asked, questions, asks_consent)
    return BookingForm


def _add_requirements(form_class, country, asked, questions, asks_consent):
    for key, mode in asked:
        setattr(form_class, key, _builtin_field(key, mode == "required", country))
    for question_id, *spec in questions:
        setattr(form_class, f"q_{question_id}", _question_field(*spec))
    if asks_consent:
        form_class.privacy_consent = consent_field()


def registration_answers(clinic, form, questions):
    """What the client answered, split into their record's fields and the answers kept with the request
    or booking."""
    client_fields, answers = {}, []
    for key, _ in registration.asked(clinic):
        value = form[key].data
        if key in registration.CLIENT_FIELDS:
            client_fields[key] = value
        if value not in (None, "", False):
            answers.append({"key": key, "value": value.isoformat() if hasattr(value, "isoformat") else value})
    for question in questions:
        value = form[f"q_{question.id}"].data
        if value not in (None, "", []):
            answers.append({"question": question.label, "kind": question.kind, "value": value})
    return client_fields, answers


def chosen_language(form):
    """The language the client chose on the form, when the clinic asks for one."""
    return form.preferred_language.data if "preferred_language" in form else ""


class DashboardLinkForm(PublicForm):
    email = email_field()

"""The forms of the Clients pages: a client's details (add and edit) and the search."""

import functools
import zoneinfo

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from .. import registration
from ..form_base import PageForm
from ..language_choice import available_languages, language_name, offered_languages
from ..validators import (
    EMAIL_LENGTH,
    LINE_LENGTH,
    NAME_LENGTH,
    PHONE_LENGTH,
    REQUIRED,
    SHORT_TEXT_LENGTH,
    DateInput,
    Email,
    NoControlCharacters,
    PastDate,
    Phone,
    max_length,
)
from ..web import LAST_PAGE


@functools.cache
def _zone_ids():
    """Every place's IANA zone, without the Etc/ and legacy aliases nobody picks."""
    zones = zoneinfo.available_timezones()
    return tuple(sorted(z for z in zones if "/" in z and not z.startswith(("Etc/", "SystemV"))))


def client_form_class(clinic, language=None):
    """The client's details as the team types them: name, email and/or phone (read in the clinic's country),
    language, timezone, and the registration fields the clinic's request form asks (optional here: a
    person on the phone may not have them all to hand). `language`, a client's own, stays a choice even
    where the clinic no longer offers it."""
    languages = offered_languages(clinic)
    if language and language in available_languages() and language not in languages:
        languages = [*languages, language]

    class ClientForm(PageForm):
        name = StringField(_l("Name"), [DataRequired(message=REQUIRED), max_length(NAME_LENGTH), NoControlCharacters()])
        email = EmailField(
            _l("Email"), [Optional(), max_length(EMAIL_LENGTH), Email()], render_kw={"autocomplete": "off"}
        )
        phone = StringField(
            _l("Phone"),
            [Optional(), max_length(PHONE_LENGTH), Phone(clinic.country)],
            render_kw={"inputmode": "tel", "autocomplete": "off"},
            description=_l("An email, a phone number or both. Numbers without a country code are read as local."),
        )
        language = SelectField(
            _l("Language"),
            choices=[SelectChoice(code, language_name(code)) for code in languages],
            default=clinic.default_language,
        )
        timezone = SelectField(
            _l("Time zone"), choices=[SelectChoice(z, z) for z in _zone_ids()], default=clinic.timezone
        )

        def validate(self, extra_validators=None):
            valid = super().validate(extra_validators)
            if valid and not self.email.data and not self.phone.data:
                self.email.errors.append(_l("Please give an email address or a phone number."))
                return False
            return valid

        def values(self):
            return {key: self[key].data for key in self._fields if key not in ("csrf_token",)}

    for key, _mode in registration.asked(clinic):
        label = registration.FIELDS[key]
        if key == "date_of_birth":
            field = DateInput(label, [Optional(), PastDate()], description=_l("For example 1990-04-23"))
        elif key == "address":
            field = TextAreaField(label, [Optional(), max_length(LINE_LENGTH)], render_kw={"rows": 3})
        elif key in ("emergency_contact", "national_id"):
            field = StringField(label, [Optional(), max_length(SHORT_TEXT_LENGTH), NoControlCharacters()])
        else:
            continue
        setattr(ClientForm, key, field)
    return ClientForm


class SearchForm(PageForm):
    """Sent by POST, so what is searched (a name, an email, a phone number) never lands in a URL, and so
    in no access log, browser history or Referer header."""

    q = StringField(_l("Search by name, email or phone"), [Optional(), max_length(NAME_LENGTH)])
    archived = BooleanField(_l("Archived clients"))
    page = HiddenField(default="1")

    def page_number(self):
        try:
            return min(max(int(self.page.data or 1), 1), LAST_PAGE)
        except ValueError:
            return 1

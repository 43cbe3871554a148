"""WTForms validators built on the libraries that know the formats (email-validator, phonenumbers),
and the field and length checks whose messages must be ours to translate."""

import datetime
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import Length, ValidationError

from . import places
from .mail.headers import reads_as_one_line


class Email:
    """A deliverable-looking address; the field's data becomes its normalized form."""

    def __call__(self, form, field):
        try:
            address = validate_email(field.data or "", check_deliverability=False).normalized
        except EmailNotValidError:
            address = None
        if address is None or not reads_as_one_line(address, "to"):
            raise ValidationError(_l("Please enter a valid email address, like name@example.com."))
        field.data = address


class Phone:
    """A possible phone number, read in the clinic's country unless it starts with +; stored as E.164."""

    def __init__(self, region):
        self.region = region

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            number = phonenumbers.parse(field.data, self.region)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(_l("Please enter a valid phone number, with the country code if it is not local."))
        field.data = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PastDate:
    """A date of birth: not in the future and not before 1900."""

    def __call__(self, form, field):
        if field.data and not (datetime.date(1900, 1, 1) <= field.data <= datetime.date.today()):
            raise ValidationError(_l("Please enter a date of birth in the past."))


class NoControlCharacters:
    """Refuses line breaks in one-line fields (they end up in email headers) and other control characters:
    C0 and C1 controls, the Unicode line and paragraph separators, and encoded-words that decode to a line
    break, all of which email reads as line ends."""

    def __call__(self, form, field):
        if field.data and (
            any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in field.data) or not reads_as_one_line(field.data)
        ):
            raise ValidationError(_l("Please use a single line without special characters."))


# Joiners that shape letters in Persian, Indic and other scripts: allowed between two letters, where they belong.
JOINERS = ("\u200c", "\u200d")


class NameCharacters:
    """A name as people see it: no line breaks or control characters (NoControlCharacters), and no invisible
    formatting characters (bidirectional overrides and isolates, zero-width spaces, byte-order marks), which
    would make a name read differently from what it is in professionals' lists and email subjects. The one
    validator every name field uses."""

    def __call__(self, form, field):
        NoControlCharacters()(form, field)
        text = field.data or ""
        for i, c in enumerate(text):
            if unicodedata.category(c) != "Cf":
                continue
            between_letters = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
            if not (c in JOINERS and between_letters):
                raise ValidationError(_l("Please use only letters, spaces and punctuation in a name."))


REQUIRED = _l("Please fill in this field.")

# How long a typed value may be, one name per kind of field, so that the same kind of value has the same
# limit on every form.
PHONE_LENGTH = 40
BUTTON_TEXT_LENGTH = 60
NAME_LENGTH = 120  # a person's or a service's name
SHORT_TEXT_LENGTH = 200  # a short answer, a charge's note
EMAIL_LENGTH = 254  # the longest address SMTP carries
QUESTION_LENGTH = 300
LINE_LENGTH = 500  # an address, a web address, a one-line answer or note
LIST_LENGTH = 2000  # a question's choices, a message with a decline
LONG_TEXT_LENGTH = 4000  # a message to the clinic, a long answer


def max_length(limit):
    """Length with our own words, so the message is translated in every language we ship."""
    return Length(max=limit, message=_l("Please use at most %(max)d characters."))


class DateInput(DateField):
    """A date field whose "not a date" message is ours (WTForms ships no Icelandic catalog)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Please enter a date like 1990-04-23.")) from None


class VideoLink:
    """A video room's address: https only (places.clean_video_link), so a tap in an email opens nothing else."""

    def __call__(self, form, field):
        try:
            field.data = places.clean_video_link(field.data)
        except places.BadPlace:
            raise ValidationError(_l("Please enter a full web address, starting with https://.")) from None


class PostalAddress:
    """An address of a few lines (places.clean_address): line breaks allowed, other control characters not."""

    def __call__(self, form, field):
        try:
            field.data = places.clean_address(field.data)
        except places.BadPlace:
            raise ValidationError(_l("Please use only letters, numbers, spaces and punctuation.")) from None

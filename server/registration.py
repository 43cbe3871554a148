"""What a clinic's public forms ask: the built-in registration fields and how each is set, and the
privacy notice and consent that every request and booking form shows when the clinic asks for them."""

from urllib.parse import urlsplit

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

OFF, OPTIONAL, REQUIRED = "off", "optional", "required"
MODES = (OFF, OPTIONAL, REQUIRED)
MODE_LABELS = {OFF: _l("Off"), OPTIONAL: _l("Optional"), REQUIRED: _l("Required")}

# key: label. Keys stay stable: they are stored in clinics' settings and in requests' answers.
FIELDS = {
    "phone": _l("Phone"),
    "date_of_birth": _l("Date of birth"),
    "address": _l("Address"),
    "preferred_language": _l("Preferred language"),
    "reason": _l("Reason for contact"),
    "heard_about": _l("How did you hear about us?"),
    "emergency_contact": _l("Emergency contact"),
    "national_id": _l("National or insurance ID"),
    "terms_consent": _l("I agree to the clinic's terms and conditions"),
}

# Fields kept on the client's record (the rest belong to one request).
CLIENT_FIELDS = ("phone", "date_of_birth", "address", "emergency_contact", "national_id")

QUESTION_KINDS = {
    "short_text": _l("Short text"),
    "long_text": _l("Long text"),
    "single_choice": _l("Single choice"),
    "multiple_choice": _l("Multiple choice"),
    "yes_no": _l("Yes / no"),
}
CHOICE_KINDS = ("single_choice", "multiple_choice")


def mode(clinic, key):
    return (clinic.registration or {}).get(key, OFF)


def asked(clinic):
    """The built-in fields the clinic's form shows, in the order above, with their mode."""
    return [(key, mode(clinic, key)) for key in FIELDS if mode(clinic, key) != OFF]


def answer_label(answer):
    """The label an answer was given under: a built-in field's, or the clinic's question as it was asked."""
    if "key" in answer:
        return FIELDS.get(answer["key"], answer["key"])
    return answer["question"]


# The wording a client agrees to; stored with their request or booking as shown, in their language.
CONSENT_LABEL = _l(
    "I agree that the clinic keeps and uses what I send here to arrange my care, as its privacy notice explains."
)


def notice_url(clinic, language=None):
    """The clinic's privacy notice in this language (the current one by default), else in its default
    language, else in any language it has one in; "" when it has none."""
    notices = clinic.privacy_notice or {}
    language = language or str(get_locale())
    return notices.get(language) or notices.get(clinic.default_language) or next(iter(notices.values()), "")


def is_notice_address(value):
    """An https address with a host, on one line: a privacy notice link a client may safely follow."""
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.hostname) and value.isprintable() and " " not in value

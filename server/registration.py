"""What a clinic's request form asks: the built-in registration fields and how each is set."""

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

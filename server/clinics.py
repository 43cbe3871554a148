"""Clinics and their professionals: creating them, signing in, and the request link's life."""

import re
import unicodedata
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from babel.numbers import list_currencies
from werkzeug.security import check_password_hash, generate_password_hash

from . import clinic_settings
from .db import CompiledQuery, database
from .language_choice import available_languages
from .models import Clinic, Professional
from .states import HubMode, Role

# Checked against even when no account matches, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password")


class ClinicError(ValueError):
    """A clinic or professional that cannot be created as asked."""


def slugify(name):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "clinic"


def _free_slug(name):
    base = slugify(name)
    slug, n = base, 1
    while Clinic.select().where(Clinic.slug == slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _checked_place(timezone, country, currency, language):
    """The clinic's timezone, country (ISO 3166 code: phone numbers are read in it), currency (ISO 4217)
    and default language, normalized, or a ClinicError that says what is wrong."""
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ClinicError(f"unknown timezone {timezone!r}; use an IANA name such as Europe/London") from None
    country, currency = country.strip().upper(), currency.strip().upper()
    if country not in phonenumbers.SUPPORTED_REGIONS:
        raise ClinicError(f"unknown country {country!r}; use a two-letter code such as GB, IS or DE")
    if currency not in list_currencies():
        raise ClinicError(f"unknown currency {currency!r}; use a three-letter code such as GBP, EUR or ISK")
    if language not in available_languages():
        raise ClinicError(f"unknown language {language!r}; choose one of {', '.join(available_languages())}")
    return {"timezone": timezone, "country": country, "currency": currency, "default_language": language}


def create_clinic(
    name,
    owner_email,
    owner_password,
    owner_name=None,
    timezone="Europe/London",
    country="GB",
    currency="GBP",
    language="en",
    **fields,
):
    """A clinic with its owner and one default service, ready to take requests."""
    if not name.strip():
        raise ClinicError("the clinic needs a name")
    place = _checked_place(timezone, country, currency, language)
    with database.atomic():
        clinic = Clinic.create(slug=_free_slug(name), name=name.strip(), **place, **fields)
        add_professional(clinic, owner_email, owner_password, owner_name, role=Role.OWNER)
        clinic_settings.add_service(clinic, "Initial consultation", 50)
    return clinic


def add_professional(clinic, email, password, name=None, role=Role.PROFESSIONAL, hub_mode=HubMode.CALENDAR):
    """A workstation login for one of the clinic's professionals (one login per email across clinics)."""
    if len(password) < 8:
        raise ClinicError("a password needs at least 8 characters")
    email = email.strip().lower()
    with database.atomic():
        if Professional.select().where(Professional.email == email).exists():
            raise ClinicError(f"{email} already has a workstation login")
        return Professional.create(
            clinic=clinic,
            email=email,
            name=(name or "").strip() or email.split("@")[0],
            password_hash=generate_password_hash(password),
            role=Role(role),
            hub_mode=HubMode(hub_mode),
        )


def authenticate(email, password):
    """The active professional with this email and password, or None (a deactivated member is refused like
    a wrong password, after the same work)."""
    professional = Professional.get_or_none(Professional.email == email.strip().lower())
    if professional is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    matches = check_password_hash(professional.password_hash, password)
    return professional if matches and professional.is_active else None


def rotate_request_link(clinic):
    """Replace the clinic's request link: the old one then answers "this link was replaced"."""
    Clinic.update(request_link_version=Clinic.request_link_version + 1).where(Clinic.id == clinic.id).execute()
    clinic.request_link_version = Clinic.get_by_id(clinic.id).request_link_version


# Every email to a client asks (db.CompiledQuery: SQL built once).
_OWNER_EMAIL = CompiledQuery(
    lambda clinic: (
        Professional.select(Professional.email)
        .where(Professional.clinic == clinic, Professional.role == Role.OWNER, Professional.is_active)
        .order_by(Professional.id)
        .tuples()
    )
)


def contact_email(clinic):
    """Where the clinic's clients' answers go (their emails' Reply-To): the first active owner's address."""
    owner = _OWNER_EMAIL.first(clinic.id)
    return owner[0] if owner else ""

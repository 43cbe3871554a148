"""Clinics and their professionals: creating them, signing in, and the request link's life."""

import re
import unicodedata
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from werkzeug.security import check_password_hash, generate_password_hash

from . import clinic_settings
from .db import database
from .models import Clinic, Professional
from .states import Role

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


def create_clinic(name, owner_email, owner_password, owner_name=None, timezone="Europe/London", **fields):
    """A clinic with its owner and one default service, ready to take requests."""
    if not name.strip():
        raise ClinicError("the clinic needs a name")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ClinicError(f"unknown timezone {timezone!r}; use an IANA name such as Europe/London") from None
    if len(owner_password) < 8:
        raise ClinicError("the owner's password needs at least 8 characters")
    owner_email = owner_email.strip().lower()
    with database.atomic():
        if Professional.select().where(Professional.email == owner_email).exists():
            raise ClinicError(f"{owner_email} already has a workstation login")
        clinic = Clinic.create(slug=_free_slug(name), name=name.strip(), timezone=timezone, **fields)
        Professional.create(
            clinic=clinic,
            email=owner_email,
            name=owner_name or owner_email.split("@")[0],
            password_hash=generate_password_hash(owner_password),
            role=Role.OWNER,
        )
        clinic_settings.add_service(clinic, "Initial consultation", 50)
    return clinic


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

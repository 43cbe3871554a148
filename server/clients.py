"""Client accounts: one per email per clinic, made on a person's first request or booking."""

import datetime
from contextlib import suppress

from flask_babel import lazy_gettext as _l

from .db import database, is_postgres, lock_rows
from .form_nonces import AlreadySubmitted, used_once
from .mail import outbox
from .models import Client, DashboardLinkRequest
from .timezones import valid_timezone

# What a public form may say about a person that their record also holds.
DETAILS = ("name", "phone", "date_of_birth", "address", "emergency_contact", "national_id", "language", "timezone")


def _stored(key, value):
    """A detail as JSON keeps it (a date as ISO text), so a form's value compares with the record's."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def client_account(clinic, email, name, language, timezone=None, status=None, **fields):
    """(client, differences): the clinic's client with this email, made from these details if new.

    A public form is unverified (anyone may type an address), so an existing client's record is never
    changed by it: the details it gives that differ from the record come back as `differences`
    ({detail: what the form said}, JSON-ready), for the request or booking to keep until the team
    applies them (`apply_details`). Only `status` moves forward (a booking makes a waiting person a client).

    `get_or_create` inserts inside a savepoint, so two first submissions at once both end with the
    one row the unique index allows.
    """
    given = {
        "name": name,
        "language": language,
        **{key: value for key, value in fields.items() if value not in (None, "")},
    }
    if valid_timezone(timezone):
        given["timezone"] = timezone
    defaults = dict(given, status=status) if status else given
    client, created = Client.get_or_create(clinic=clinic, email=email.strip().lower(), defaults=defaults)
    if created:
        return client, {}
    if status and client.status != status:
        Client.update(status=status).where(Client.id == client.id).execute()
        client.status = status
    differences = {
        key: _stored(key, value)
        for key, value in given.items()
        if key in DETAILS and _stored(key, value) != _stored(key, getattr(client, key))
    }
    return client, differences


def apply_details(row):
    """Write the details a request or booking kept (`submitted_details`) onto its client's record, and
    forget them: the team has reviewed them. Returns the client, or None when there was nothing left to apply
    (a second click, another member first). One transaction."""
    model = type(row)
    with database.atomic():
        current = lock_rows(model.select().where(model.id == row.id)).get()
        details = {key: value for key, value in (current.submitted_details or {}).items() if key in DETAILS}
        if not details:
            return None
        if details.get("date_of_birth"):
            details["date_of_birth"] = datetime.date.fromisoformat(details["date_of_birth"])
        Client.update(**details).where(Client.id == current.client_id).execute()
        model.update(submitted_details=None).where(model.id == current.id).execute()
    return Client.get_by_id(current.client_id)


def differences_to_review(row):
    """[(detail, on the record, in the form)] of a request or booking whose form disagreed with the
    client's record, for the workstation to show before the team applies them."""
    client = row.client
    return [
        (key, _stored(key, getattr(client, key)), value)
        for key, value in (row.submitted_details or {}).items()
        if key in DETAILS and _stored(key, getattr(client, key)) != value
    ]


def email_dashboard_links(email, form_nonce):
    """Ask for a fresh dashboard link to every clinic account with this address, once per form: a replayed
    or double-submitted form asks nothing more. Only the address is stored here, known or not, and the mail
    worker looks it up (`resolve_link_requests`): the answer says nothing either way, by its words or its timing."""
    with suppress(AlreadySubmitted), used_once(form_nonce):
        DashboardLinkRequest.create(email=email.strip().lower())


def resolve_link_requests():
    """Queue the dashboard-link email of every waiting request to each clinic account with its address (or
    nothing), and forget the address. Each request is looked up once, whichever worker takes it."""
    with database.atomic():
        query = DashboardLinkRequest.select().order_by(DashboardLinkRequest.id)
        if is_postgres():
            query = query.for_update(skip_locked=True)
        waiting = list(query)
        for asked in waiting:
            for client in Client.select().where(Client.email == asked.email):
                outbox.queue(
                    client.email,
                    "dashboard_link",
                    _l("Your link to your sessions with %(clinic)s", clinic=client.clinic.name),
                    client.language or client.clinic.default_language,
                    client=client,
                    clinic=client.clinic,
                )
        if waiting:
            DashboardLinkRequest.delete().where(DashboardLinkRequest.id.in_([a.id for a in waiting])).execute()

"""Client accounts: one per email per clinic, made on a person's first request or booking."""

from contextlib import suppress

from flask_babel import lazy_gettext as _l

from .form_nonces import AlreadySubmitted, used_once
from .mail import outbox
from .models import Client
from .timezones import valid_timezone


def client_account(clinic, email, name, language, timezone=None, **fields):
    """The clinic's client with this email, saved: made if new, else its name, language, timezone (when
    the browser gave a valid one) and any other non-empty `fields` updated to the latest given.

    `get_or_create` inserts inside a savepoint, so two first submissions at once both end with the
    one row the unique index allows. An existing client is written only where something changed.
    """
    latest = {
        "name": name,
        "language": language,
        **{key: value for key, value in fields.items() if value not in (None, "")},
    }
    if valid_timezone(timezone):
        latest["timezone"] = timezone
    client, created = Client.get_or_create(clinic=clinic, email=email.strip().lower(), defaults=latest)
    changed = [] if created else [key for key, value in latest.items() if getattr(client, key) != value]
    if changed:
        for key in changed:
            setattr(client, key, latest[key])
        client.save(only=[getattr(Client, key) for key in changed])
    return client


def email_dashboard_links(email, form_nonce):
    """Queue a fresh dashboard link to every clinic account with this address, once per form: a replayed
    or double-submitted form sends nothing more. Says nothing either way, so that whether an address is
    known cannot be read from the answer."""
    with suppress(AlreadySubmitted), used_once(form_nonce):
        for client in Client.select().where(Client.email == email.strip().lower()):
            outbox.queue(
                client.email,
                "dashboard_link",
                _l("Your link to your sessions with %(clinic)s", clinic=outbox.shown_name(client.clinic)),
                client.language or client.clinic.default_language,
                client=client,
                clinic=client.clinic,
            )

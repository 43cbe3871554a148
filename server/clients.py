"""Client accounts: one per email per clinic, made on a person's first request or booking."""
from .timezones import valid_timezone
from .models import Client


def client_account(clinic, email, name, language, timezone=None, **fields):
    """The clinic's client with this email, saved: made if new, else its name, language, timezone (when
    the browser gave a valid one) and any other non-empty `fields` updated to the latest given.

    `get_or_create` inserts inside a savepoint, so two first submissions at once both end with the
    one row the unique index allows. An existing client is written only where something changed.
    """
    latest = {"name": name, "language": language,
              **{key: value for key, value in fields.items() if value not in (None, "")}}
    if valid_timezone(timezone):
        latest["timezone"] = timezone
    client, created = Client.get_or_create(clinic=clinic, email=email.strip().lower(), defaults=latest)
    changed = [] if created else [key for key, value in latest.items() if getattr(client, key) != value]
    if changed:
        for key in changed:
            setattr(client, key, latest[key])
        client.save(only=[getattr(Client, key) for key in changed])
    return client

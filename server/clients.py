"""Client accounts: one per email per clinic, made on a person's first request or booking."""
from .i18n import valid_timezone
from .models import Client


def client_account(clinic, email, name, language, timezone=None):
    """The clinic's client with this email, made if new; name, language and timezone (when the browser
    gave a valid one) updated to the latest given.

    `get_or_create` inserts inside a savepoint, so two first submissions at once both end with the
    one row the unique index allows.
    """
    client, _ = Client.get_or_create(clinic=clinic, email=email.strip().lower(), defaults={"name": name})
    client.name = name
    client.language = language
    if valid_timezone(timezone):
        client.timezone = timezone
    return client

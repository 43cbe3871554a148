"""The one-time nonce of a public form: a form shown once is taken once.

Each client form carries a signed token with a nonce (links.form_token). Using the nonce writes a
UsedFormToken row in the same transaction as the change the form makes, so a replay or a double
submit finds the row, changes nothing and can say so.
"""

from contextlib import contextmanager

import peewee

from .db import CompiledQuery, database
from .models import UsedFormToken


class AlreadySubmitted(Exception):
    """This showing of the form was sent before: the first submission stands, nothing new is made."""


# Asked by every public form that is refused (db.CompiledQuery: SQL built once).
_USED = CompiledQuery(lambda nonce: UsedFormToken.select(UsedFormToken.nonce).where(UsedFormToken.nonce == nonce))


def was_used(nonce):
    """Whether a submission with this nonce already went through."""
    return _USED.first(nonce) is not None


@contextmanager
def used_once(nonce):
    """One transaction that spends `nonce` and makes the form's change, or raises AlreadySubmitted
    when another submission spent it first (even one committed while this one ran)."""
    try:
        with database.atomic():
            UsedFormToken.create(nonce=nonce)
            yield
    except peewee.IntegrityError:
        if UsedFormToken.get_or_none(UsedFormToken.nonce == nonce) is not None:
            raise AlreadySubmitted() from None
        raise

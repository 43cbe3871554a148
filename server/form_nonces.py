"""The one-time nonce of a public form: a form shown once is taken once.

Each client form carries a signed token with a nonce (links.form_token). Using the nonce writes a
UsedFormToken row in the same transaction as the change the form makes, so a replay or a double
submit finds the row, changes nothing and can say so.
"""

from contextlib import contextmanager

import peewee

from .db import database
from .models import UsedFormToken


class AlreadySubmitted(Exception):
    """This showing of the form was sent before: the first submission stands, nothing new is made."""


def was_used(nonce):
    """Whether a submission with this nonce already went through."""
    return UsedFormToken.select().where(UsedFormToken.nonce == nonce).exists()


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

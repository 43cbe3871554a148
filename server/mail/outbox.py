"""The outbox: each email is stored in the same transaction as the change that caused it, so none is lost,
as a draft of what it is rendered from, as it was then; `delivery` renders it in its reader's language and
sends it later.

Rendering a booking's two emails and invitations was a third of its request, and on SQLite all of it under
the one write lock; a draft costs a twentieth of that. It is the context the templates get (the rows as the
change left them, the invitation with its SEQUENCE) pickled and signed with the app's secret keys: the app
reads back only what it sealed itself, so a row written by anyone else is refused before it is unpickled.
"""

import io
import pickle
from email.utils import make_msgid

import peewee
from flask import current_app
from flask_babel import force_locale

from ..db import insert
from ..language_choice import language_context
from ..links import seal, unseal
from ..models import Client, OutboxMessage, Professional
from .headers import single_line

DRAFT = "frontdesk.outbox-draft"

# What a draft leaves out of the rows it keeps: secrets, and a client's details no email shows, so that the
# outbox holds no copy of them until it is sent (read in a mail template, such a field is None).
LEFT_OUT = {
    Professional: {"password_hash", "totp_secret", "totp_last_step"},
    Client: {"phone", "date_of_birth", "address", "emergency_contact", "national_id"},
}


def queue(to, template, subject, language, ics=None, reply_to="", **context):
    """Store one email to `to`, to be rendered from mail/<template>.txt and .html in `language`, marked with the
    context's clinic and client (erasure and retention find it by them); `reply_to` names where an answer
    should go when that is not the sender."""
    store([compose(to, template, subject, language, ics, reply_to, **context)])


def store(messages):
    """Store emails made by `compose`, several in one INSERT (one round trip on PostgreSQL)."""
    if messages:
        insert(OutboxMessage, [message.__data__ for message in messages])


def compose(to, template, subject, language, ics=None, reply_to="", **context):
    """One email as `queue` describes it, not stored yet: `store` it in the same transaction as the change it
    tells of. Its subject is written now (headers are checked before a row is stored), its bodies and
    attachment when it is sent, from the draft."""
    with force_locale(language):
        # A plain str: a lazy subject would pass itself off as safe HTML (__html__), unescaped, names and all.
        subject = str(subject)
    domain = current_app.config["BASE_URL"].split("//", 1)[-1].split("/")[0].split(":")[0] or "localhost"
    draft = (template, language, subject, context, ics)
    return OutboxMessage(
        message_id=make_msgid(domain=domain),
        to_address=single_line(to, "to"),
        subject=single_line(subject, "subject"),
        draft=seal(current_app.config["SECRET_KEYS"], DRAFT, draft, _Draft),
        ics_method=str(ics["METHOD"]) if ics is not None else None,
        reply_to=single_line(reply_to, "reply_to") if reply_to else "",
        clinic_id=_id_of(context.get("clinic")),
        client_id=_id_of(context.get("client")),
        sender_name=_sender_name(to, context.get("clinic"), context.get("client")),
    )


def rendered(message):
    """The message with its bodies and attachment rendered from its draft (in memory: the mail worker stores
    them once the message is sent); a message without a draft as it is. Raises itsdangerous.BadSignature for a
    draft the app did not seal."""
    if message.draft is None:
        return message
    template, language, subject, context, ics = unseal(current_app.config["SECRET_KEYS"], DRAFT, message.draft, _Draft)
    with force_locale(language):
        message.text_body = _render(f"mail/{template}.txt", **context)
        message.html_body = _render(f"mail/{template}.html", subject=subject, **context)
    message.ics = ics.to_ical().decode() if ics is not None else None
    message.draft = None
    return message


class _Draft:
    """Pickle, with each row kept as its fields (less LEFT_OUT) and the rows it was read or made with."""

    class _Pickler(pickle.Pickler):
        def reducer_override(self, value):
            if not isinstance(value, peewee.Model):
                return NotImplemented
            left_out = LEFT_OUT.get(type(value), ())
            fields = {name: field for name, field in value.__data__.items() if name not in left_out}
            return _row, (type(value), fields, value.__rel__)

    @classmethod
    def dumps(cls, value):
        out = io.BytesIO()
        cls._Pickler(out, pickle.HIGHEST_PROTOCOL).dump(value)
        return out.getvalue()

    loads = staticmethod(pickle.loads)


def _row(model, fields, related):
    """A row as a draft kept it, never saved again."""
    row = model.__new__(model)
    row.__data__, row.__rel__, row._dirty = fields, related, set()
    return row


def _render(name, **context):
    """A mail template with its context and the app's template globals only. Flask's render_template would
    also run the context processors of the page being served, all for pages (a workstation page's waitlist
    count is a query), none for an email."""
    return current_app.jinja_env.get_template(name).render(**language_context(), **context)


def shown_name(clinic):
    """The name a client's email subjects and From use: the clinic's discreet one when it chose one."""
    return clinic.mail_sender_name or clinic.name


def _sender_name(to, clinic, client):
    """A client's email comes from the clinic's discreet name; the team's from the server's own sender."""
    if clinic is None or client is None or to != client.email:
        return ""
    return single_line(shown_name(clinic), "from")


def _id_of(row):
    return getattr(row, "id", None)

"""The outbox: each email is rendered in its reader's language and stored in the same transaction as
the change that caused it, so none is lost; `delivery` sends it later."""

from email.utils import make_msgid

from flask import current_app
from flask_babel import force_locale

from ..db import insert
from ..language_choice import language_context
from ..models import OutboxMessage
from .headers import single_line


def queue(to, template, subject, language, ics=None, reply_to="", **context):
    """Store one email to `to`, rendered from mail/<template>.txt and .html in `language`, marked with the
    context's clinic and client (erasure and retention find it by them); `reply_to` names where an answer
    should go when that is not the sender."""
    store([compose(to, template, subject, language, ics, reply_to, **context)])


def store(messages):
    """Store emails made by `compose`, several in one INSERT (one round trip on PostgreSQL)."""
    if messages:
        insert(OutboxMessage, [message.__data__ for message in messages])


def compose(to, template, subject, language, ics=None, reply_to="", **context):
    """One email as `queue` describes it, rendered but not stored yet: `store` it in the same transaction
    as the change it tells of."""
    with force_locale(language):
        # A plain str: a lazy subject would pass itself off as safe HTML (__html__), unescaped, names and all.
        subject = str(subject)
        text = _render(f"mail/{template}.txt", **context)
        html = _render(f"mail/{template}.html", subject=subject, **context)
    domain = current_app.config["BASE_URL"].split("//", 1)[-1].split("/")[0].split(":")[0] or "localhost"
    return OutboxMessage(
        message_id=make_msgid(domain=domain),
        to_address=single_line(to, "to"),
        subject=single_line(subject, "subject"),
        text_body=text,
        html_body=html,
        ics=ics.to_ical().decode() if ics is not None else None,
        ics_method=str(ics["METHOD"]) if ics is not None else None,
        reply_to=single_line(reply_to, "reply_to") if reply_to else "",
        clinic_id=_id_of(context.get("clinic")),
        client_id=_id_of(context.get("client")),
        sender_name=_sender_name(to, context.get("clinic"), context.get("client")),
    )


def _render(name, **context):
    """A mail template with its context and the app's template globals only. Flask's render_template would
    also run the context processors of the page being served, all for pages (a workstation page's waitlist
    count is a query), none for an email, twice per email."""
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

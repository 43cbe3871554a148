"""Requests on a clinic's waitlist: submitting one, accepting it (which books nothing) or declining it."""
import peewee
from flask_babel import lazy_gettext as _l

from .db import database
from .clients import client_account
from .mail import outbox
from .models import Client, Request, UsedFormToken, utcnow


class AlreadySubmitted(Exception):
    """This showing of the form was sent before: the first request stands, nothing new is made."""


class AlreadyDecided(Exception):
    """Someone accepted or declined this request already."""


def submit_request(clinic, form_nonce, name, email, language, service=None, message="",
                   client_fields=None, answers=None, hub=None, professional=None, timezone=None):
    """Create or reuse the client's account at the clinic, put a request on the waitlist, and queue
    the "we received your request" email to the client and "new request" to each professional."""
    try:
        with database.atomic():
            UsedFormToken.create(nonce=form_nonce)
            client = client_account(clinic, email, name, language, timezone, **(client_fields or {}))
            request = Request.create(clinic=clinic, client=client, service=service, message=message,
                                     answers=answers or [], hub=hub, professional=professional)
            outbox.queue(client.email, "request_received",
                       _l("We received your request to %(clinic)s", clinic=clinic.name),
                       language, clinic=clinic, client=client, request=request)
            for recipient in [professional] if professional else clinic.professionals:
                outbox.queue(recipient.email, "new_request",
                           _l("New request from %(name)s", name=client.name),
                           clinic.default_language, clinic=clinic, client=client, request=request)
    except peewee.IntegrityError:
        if UsedFormToken.get_or_none(UsedFormToken.nonce == form_nonce) is not None:
            raise AlreadySubmitted() from None
        raise
    return request


def _decide(request, professional, status, **changes):
    updated = (Request.update(status=status, decided_at=utcnow(), decided_by=professional, **changes)
               .where(Request.id == request.id, Request.status == "pending").execute())
    if not updated:
        raise AlreadyDecided()
    request.status = status


def accept(request, professional):
    """Make the person one of the clinic's clients and tell them; no session is booked."""
    with database.atomic():
        _decide(request, professional, "accepted")
        Client.update(status="active").where(Client.id == request.client_id).execute()
        client = request.client
        outbox.queue(client.email, "request_accepted",
                   _l("%(clinic)s accepted your request", clinic=request.clinic.name),
                   client.language or request.clinic.default_language,
                   clinic=request.clinic, client=client, request=request, professional=professional)


def decline(request, professional, message=""):
    """Close the request, telling the person, with the professional's message if there is one."""
    with database.atomic():
        _decide(request, professional, "declined", decline_message=message)
        client = request.client
        outbox.queue(client.email, "request_declined",
                   _l("About your request to %(clinic)s", clinic=request.clinic.name),
                   client.language or request.clinic.default_language,
                   clinic=request.clinic, client=client, request=request, message=message)

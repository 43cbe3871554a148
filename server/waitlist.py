"""Requests on a clinic's waitlist: submitting one, accepting it (which books nothing) or declining it."""

from flask_babel import lazy_gettext as _l

from . import audit
from .clients import client_account
from .db import CompiledQuery, database
from .form_nonces import used_once
from .mail import outbox
from .models import Client, Professional, Request, utcnow
from .states import ClientStatus, RequestStatus


class AlreadyDecided(Exception):
    """Someone accepted or declined this request already."""


# Who hears of a request to the clinic: its team, less those who left it (db.CompiledQuery: SQL built once).
_TOLD_OF_REQUESTS = CompiledQuery(
    lambda clinic: Professional.select().where(Professional.clinic == clinic, Professional.is_active)
)


def submit_request(
    clinic,
    form_nonce,
    name,
    email,
    language,
    service=None,
    message="",
    client_fields=None,
    answers=None,
    hub=None,
    professional=None,
    timezone=None,
    consent_text="",
):
    """Create the client's account at the clinic or find it (left as it is: what this form says about a known
    client stays with the request), put a request on the waitlist, and queue the "we received your request"
    email to the client (in the language on their record) and "new request" to each professional.
    `consent_text` is the privacy-notice wording the person agreed to, kept with the time. Raises
    form_nonces.AlreadySubmitted when this showing of the form was sent before.

    Who is told is read before the transaction, which on SQLite holds the one write lock: the lock covers
    the inserts and the emails, which are rendered inside it because they carry the new rows' ids, and
    stored in one INSERT."""
    recipients = [professional] if professional else _TOLD_OF_REQUESTS.all(clinic.id)
    with used_once(form_nonce):
        client, differences = client_account(clinic, email, name, language, timezone, **(client_fields or {}))
        request = Request.create(
            submitted_details=differences or None,
            clinic=clinic,
            client=client,
            service=service,
            message=message,
            answers=answers or [],
            hub=hub,
            professional=professional,
            consent_text=consent_text,
            consent_at=utcnow() if consent_text else None,
        )
        received = outbox.compose(
            client.email,
            "request_received",
            _l("We received your request to %(clinic)s", clinic=outbox.shown_name(clinic)),
            client.language or clinic.default_language,
            clinic=clinic,
            client=client,
            request=request,
        )
        told = [
            outbox.compose(
                recipient.email,
                "new_request",
                _l("New request"),
                clinic.default_language,
                clinic=clinic,
                client=client,
                request=request,
            )
            for recipient in recipients
        ]
        outbox.store([received, *told])
    return request


def _decide(request, professional, status, **changes):
    updated = (
        Request.update(status=status, decided_at=utcnow(), decided_by=professional, **changes)
        .where(Request.id == request.id, Request.status == RequestStatus.PENDING)
        .execute()
    )
    if not updated:
        raise AlreadyDecided()
    request.status = status
    audit.changed(audit.REQUEST, request, member=professional)


def accept(request, professional):
    """Make the person one of the clinic's clients and tell them; no session is booked."""
    with database.atomic():
        _decide(request, professional, RequestStatus.ACCEPTED)
        Client.update(status=ClientStatus.ACTIVE).where(Client.id == request.client_id).execute()
        client = request.client
        outbox.queue(
            client.email,
            "request_accepted",
            _l("%(clinic)s accepted your request", clinic=outbox.shown_name(request.clinic)),
            client.language or request.clinic.default_language,
            clinic=request.clinic,
            client=client,
            request=request,
            professional=professional,
        )


def decline(request, professional, message=""):
    """Close the request, telling the person, with the professional's message if there is one."""
    with database.atomic():
        _decide(request, professional, RequestStatus.DECLINED, decline_message=message)
        client = request.client
        outbox.queue(
            client.email,
            "request_declined",
            _l("About your request to %(clinic)s", clinic=outbox.shown_name(request.clinic)),
            client.language or request.clinic.default_language,
            clinic=request.clinic,
            client=client,
            request=request,
            message=message,
        )


def withdraw(request):
    """The client takes back a request still waiting; it leaves the waitlist and no one is emailed.
    AlreadyDecided when the professional answered it first."""
    with database.atomic():
        _decide(request, None, RequestStatus.WITHDRAWN)

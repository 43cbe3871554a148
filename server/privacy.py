"""The client's rights and the practice's duties (GDPR): export, erasure and retention.

Export gives a client's whole record as one JSON document. Erasure removes or replaces the person
everywhere (record, requests, sessions' notes, queued and sent emails, the mail folder) and keeps what
accounting must (charge amounts and dates, session times) without them. Retention purges declined
requests and the bodies of delivered emails after the clinic's periods. Each is one transaction, and
each export and erasure goes into the audit log.
"""

import datetime
import glob
import os

from flask import current_app
from flask_babel import lazy_gettext as _l

from . import audit, availability, clients, urls
from .db import database
from .mail import outbox
from .models import Appointment, ChargeDecision, Client, Clinic, OutboxMessage, Professional, Request, new_nonce, utcnow
from .states import Actor, CancelReason, ClientStatus, RequestStatus, Role, SessionStatus

FORMAT = "frontdesk-client-export/1"
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: an address that can never receive mail
DEFAULT_MAIL_BODY_DAYS = 90  # for an email whose clinic is not known


class AlreadyErased(Exception):
    """The client was erased before: there is nothing left to export or erase."""


def _when(value):
    return value.isoformat() + "Z" if value is not None else None


def export(client, member=None, by_client=False):
    """The client's data as a JSON-ready dict: details, requests with their answers, sessions, charges
    and the emails sent to them. Recorded in the audit log as an export by the member or the client."""
    if client.erased_at is not None:
        raise AlreadyErased()
    clinic = client.clinic
    sessions = list(client.appointments.order_by(Appointment.starts_at))
    charges = ChargeDecision.select().join(Appointment).where(Appointment.client == client).order_by(ChargeDecision.id)
    emails = (
        OutboxMessage.select()
        .where(OutboxMessage.to_address == client.email, OutboxMessage.sent_at.is_null(False))
        .order_by(OutboxMessage.id)
    )
    data = {
        "format": FORMAT,
        "exported_at": _when(utcnow()),
        "clinic": {"name": clinic.name},
        "client": {
            "id": client.id,
            "name": client.name,
            "email": client.email,
            "phone": client.phone,
            "date_of_birth": client.date_of_birth.isoformat() if client.date_of_birth else None,
            "address": client.address,
            "emergency_contact": client.emergency_contact,
            "national_id": client.national_id,
            "language": client.language,
            "timezone": client.timezone,
            "status": client.status,
            "created_at": _when(client.created_at),
        },
        "requests": [
            {
                "id": r.id,
                "created_at": _when(r.created_at),
                "service": r.service.name if r.service else None,
                "professional": r.professional.name if r.professional else None,
                "message": r.message,
                "answers": [_answer(a) for a in r.answers],
                "status": r.status,
                "decided_at": _when(r.decided_at),
                "decline_message": r.decline_message,
                "consent": {"text": r.consent_text, "at": _when(r.consent_at)} if r.consent_at else None,
            }
            for r in client.requests.order_by(Request.id)
        ],
        "sessions": [
            {
                "id": s.id,
                "starts_at": _when(s.starts_at),
                "ends_at": _when(s.ends_at),
                "service": s.service.name if s.service else None,
                "professional": s.professional.name,
                "channel": s.channel,
                "video_link": s.video_link,  # the session's own room and note on the place (places.py)
                "place_note": s.place_note,
                "status": s.status,
                "cancelled_at": _when(s.cancelled_at),
                "cancelled_by": s.cancelled_by,
                "late_cancellation": s.late,
                "no_show_at": _when(s.no_show_at),
                "answers": [_answer(a) for a in s.answers],
                "consent": {"text": s.consent_text, "at": _when(s.consent_at)} if s.consent_at else None,
            }
            for s in sessions
        ],
        "charges": [
            {
                "id": c.id,
                "session_id": c.appointment_id,
                "reason": c.reason,
                "amount_cents": c.amount_cents,
                "currency": c.currency,
                "status": c.status,
                "created_at": _when(c.created_at),
                "decided_at": _when(c.decided_at),
            }
            for c in charges
        ],
        "emails": [
            {"sent_at": _when(m.sent_at), "subject": m.subject, "text": outbox.rendered(m).text_body} for m in emails
        ],
    }
    audit.record(clinic.id, audit.EXPORTED, audit.CLIENT, client.id, client.id, member=member, by_client=by_client)
    return data


def _answer(answer):
    return {"label": answer.get("question") or answer.get("key"), "value": answer.get("value")}


def export_filename(client):
    """An attachment name that says what the file is and carries the id only, never the name."""
    return f"client-{client.id}-export.json"


def request_erasure(client):
    """The client asked, from a fresh dashboard link, to be erased: noted for the owner, who is told by an
    email that names nobody. Asking again changes nothing and tells nobody twice."""
    with database.atomic():
        updated = (
            Client.update(erasure_requested_at=utcnow())
            .where(Client.id == client.id, Client.erasure_requested_at.is_null(), Client.erased_at.is_null())
            .execute()
        )
        if not updated:
            return False
        audit.record(client.clinic_id, audit.ERASURE_REQUESTED, audit.CLIENT, client.id, client.id, by_client=True)
        clinic = client.clinic
        for owner in clinic.professionals.where(Professional.role == Role.OWNER, Professional.is_active):
            outbox.queue(
                owner.email,
                "erasure_requested",
                _l("A client asked to have their data erased"),
                clinic.default_language,
                clinic=clinic,
                privacy_url=urls.external_url("workstation.privacy_overview"),
            )
    return True


def pending_erasures(clinic):
    """The clinic's clients waiting to be erased, oldest request first."""
    return (
        Client.select()
        .where(Client.clinic == clinic, Client.erasure_requested_at.is_null(False), Client.erased_at.is_null())
        .order_by(Client.erasure_requested_at, Client.id)
    )


def erase(client, member):
    """Erase the client: their record's details, their requests' words, charge notes, every email to or
    about them (queued ones are dropped, sent ones emptied, and the mail folder's copies deleted), and
    their upcoming sessions are cancelled without email. Session times and charge amounts stay, for the
    accounts, attached to a record that no longer says who it was."""
    if client.erased_at is not None:
        raise AlreadyErased()
    now = utcnow()
    with database.atomic():
        current = Client.get_by_id(client.id)
        if current.erased_at is not None:
            raise AlreadyErased()
        sent_ids = _forget_mail(client.id, current.email)
        Request.update(message="", answers=[], decline_message="").where(Request.client == client).execute()
        # A session's own video room and note on the place may name the person too.
        Appointment.update(answers=[], video_link="", place_note="").where(Appointment.client == client).execute()
        ChargeDecision.update(note="").where(
            ChargeDecision.appointment.in_(Appointment.select(Appointment.id).where(Appointment.client == client))
        ).execute()
        still_to_come = (
            Appointment.client == client,
            Appointment.status.in_([SessionStatus.BOOKED, SessionStatus.HELD]),
            Appointment.starts_at > now,
        )
        availability.calendar_changed(
            *{a.professional_id for a in Appointment.select(Appointment.professional).where(*still_to_come)}
        )
        Appointment.update(
            status=SessionStatus.CANCELLED,
            cancelled_at=now,
            cancelled_by=Actor.PROFESSIONAL,
            cancelled_by_professional=member,
            cancel_reason=CancelReason.NONE,
            manage_nonce=new_nonce(),
        ).where(*still_to_come).execute()
        Client.update(
            email=f"client-{client.id}@{ERASED_DOMAIN}",
            name=str(_l("Erased client %(id)s", id=client.id)),
            phone="",
            date_of_birth=None,
            address="",
            emergency_contact="",
            national_id="",
            language="",
            timezone="",
            dashboard_nonce=new_nonce(),
            erased_at=now,
        ).where(Client.id == client.id).execute()
        clients.forget_searched_text()
        audit.record(client.clinic_id, audit.ERASED, audit.CLIENT, client.id, client.id, member=member)
    _delete_mail_files(sent_ids)


def _forget_mail(client_id, email):
    """Drop the queued emails to or about a client and empty the delivered ones (kept as a record that an
    email went out, to nobody named). Returns the delivered ones' Message-IDs, for the mail folder."""
    messages = list(
        OutboxMessage.select().where((OutboxMessage.client_id == client_id) | (OutboxMessage.to_address == email))
    )
    OutboxMessage.delete().where(OutboxMessage.id.in_([m.id for m in messages if m.sent_at is None])).execute()
    sent = [m for m in messages if m.sent_at is not None]
    OutboxMessage.update(
        to_address=f"client-{client_id}@{ERASED_DOMAIN}",
        subject="",
        text_body="",
        html_body="",
        ics=None,
        draft=None,
        last_error="",
    ).where(OutboxMessage.id.in_([m.id for m in sent])).execute()
    return [m.message_id for m in sent]


def _delete_mail_files(message_ids):
    """The file backend's copies of these messages (named from their Message-ID, as backends.py writes them)."""
    folder = os.path.join(current_app.instance_path, "mail")
    for message_id in message_ids:
        name = message_id.strip("<>").replace("@", "_").replace("/", "_")
        for path in glob.glob(os.path.join(glob.escape(folder), glob.escape(name) + ".eml")):
            os.remove(path)


def purge(now=None):
    """Retention, for every clinic: declined and withdrawn requests decided longer ago than its period are
    deleted (and a waitlist client left with nothing is deleted with them), and the bodies of emails
    delivered longer ago than its period are emptied. Returns (requests deleted, clients deleted, email
    bodies emptied)."""
    now = now or utcnow()
    requests = deleted_clients = bodies = 0
    forgotten = []
    for clinic in Clinic.select():
        with database.atomic():
            cutoff = now - datetime.timedelta(days=clinic.request_retention_days)
            old = Request.select(Request.id, Request.client).where(
                Request.clinic == clinic,
                Request.status.in_([RequestStatus.DECLINED, RequestStatus.WITHDRAWN]),
                Request.decided_at < cutoff,
            )
            client_ids = {r.client_id for r in old}
            requests += Request.delete().where(Request.id.in_([r.id for r in old])).execute()
            for client in Client.select().where(Client.id.in_(list(client_ids))):
                if _nothing_left(client):
                    forgotten.extend(_forget_mail(client.id, client.email))
                    deleted_clients += Client.delete().where(Client.id == client.id).execute()
            bodies += _empty_bodies(
                OutboxMessage.clinic_id == clinic.id,
                now - datetime.timedelta(days=clinic.mail_body_retention_days),
            )
    bodies += _empty_bodies(OutboxMessage.clinic_id.is_null(), now - datetime.timedelta(days=DEFAULT_MAIL_BODY_DAYS))
    if deleted_clients:
        with database.atomic():
            clients.forget_searched_text()
    _delete_mail_files(forgotten)
    return requests, deleted_clients, bodies


def _nothing_left(client):
    return client.status == ClientStatus.WAITLIST and not client.requests.exists() and not client.appointments.exists()


def _empty_bodies(whose, cutoff):
    return (
        OutboxMessage.update(text_body="", html_body="", ics=None)
        .where(whose, OutboxMessage.sent_at < cutoff, (OutboxMessage.text_body != "") | (OutboxMessage.html_body != ""))
        .execute()
    )

"""Charge decisions: what a late cancellation or a no-show may cost, and the professional's decision."""

import csv
import io

from . import audit
from .db import database
from .models import ChargeDecision, utcnow
from .states import ChargeStatus

STATUSES = tuple(ChargeStatus)  # what a list of decisions may be filtered by
CENTS_PER_UNIT = 100  # amounts are stored in minor units (cents, pence), as integers


def to_cents(amount):
    """Minor units for an amount typed in the currency's units (a Decimal or a number)."""
    return round(amount * CENTS_PER_UNIT)


def to_units(cents):
    """The currency's units for an amount stored in minor units."""
    return cents / CENTS_PER_UNIT


class AlreadyDecided(Exception):
    """The decision was made before (perhaps in another tab): it is not made twice."""


def fee_cents(appointment):
    """The late fee the session was booked with; for a session booked before fees were kept on it, the
    service's fee where it has one, else the clinic's default."""
    if appointment.late_fee_cents is not None:
        return appointment.late_fee_cents
    service = appointment.service
    if service is not None and service.late_fee_cents is not None:
        return service.late_fee_cents
    return appointment.clinic.late_fee_cents


def open_decision(appointment, reason):
    """Record that the professional may charge for this session (inside the caller's transaction)."""
    return ChargeDecision.create(
        clinic=appointment.clinic,
        appointment=appointment,
        reason=reason,
        amount_cents=fee_cents(appointment),
        currency=appointment.currency or appointment.clinic.currency,
    )


def decide(decision, professional, status, note="", amount_cents=None):
    """Charge or waive an open decision, once."""
    if status not in (ChargeStatus.CHARGED, ChargeStatus.WAIVED):
        raise ValueError(status)
    changes = dict(status=status, note=note, decided_at=utcnow(), decided_by=professional)
    if status == ChargeStatus.CHARGED and amount_cents is not None:
        changes["amount_cents"] = amount_cents
    with database.atomic():
        updated = (
            ChargeDecision.update(**changes)
            .where(ChargeDecision.id == decision.id, ChargeDecision.status == ChargeStatus.OPEN)
            .execute()
        )
        if not updated:
            raise AlreadyDecided()
        audit.changed(audit.CHARGE, decision, member=professional)


CSV_COLUMNS = [
    "decision_id",
    "status",
    "reason",
    "amount",
    "currency",
    "client",
    "client_email",
    "professional",
    "service",
    "session_start_utc",
    "created_utc",
    "decided_utc",
    "decided_by",
    "note",
]


def _cell(value):
    """Text a spreadsheet will not run as a formula (a name like "=HYPERLINK(…)" stays text)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(decisions):
    """The decisions as CSV for a spreadsheet or the clinic's billing; amounts in major units."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for d in decisions:
        a = d.appointment
        writer.writerow(
            [
                _cell(value)
                for value in [
                    d.id,
                    d.status,
                    d.reason,
                    f"{to_units(d.amount_cents):.2f}",
                    d.currency,
                    a.client.name,
                    a.client.email,
                    a.professional.name,
                    a.service.name if a.service else "",
                    a.starts_at.isoformat(),
                    d.created_at.isoformat(),
                    d.decided_at.isoformat() if d.decided_at else "",
                    d.decided_by.name if d.decided_by else "",
                    d.note,
                ]
            ]
        )
    return out.getvalue()

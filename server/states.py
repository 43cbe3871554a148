"""The one vocabulary for what a row can be: statuses, channels, hub modes, who acted, why.

Plain string enums, so they are stored and compared as the strings they always were (no migration), and
so the rules (booking.py, no database) and the models share the same names. Templates are not meant to
compare these: they are told what may be done (booking.py) and get a row's state through its model.
"""

from enum import StrEnum


class SessionStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    # A client's own booking at a clinic that asks for it to be confirmed from the email: it holds its slot
    # until Appointment.hold_until (booking.holds_slot), then lapses and is released (booking.hold_lapsed).
    HELD = "held"
    RELEASED = "released"  # a hold nobody confirmed in time: it never took place, so no fee and not a cancellation


class Channel(StrEnum):
    """How a client came to a session: see DESIGN's three channels."""

    DIRECT = "direct"
    REQUEST = "request"
    HUB = "hub"


class HubMode(StrEnum):
    """What a hub page shows for one member."""

    CALENDAR = "calendar"
    REQUESTS_ONLY = "request"


class PlaceKind(StrEnum):
    """Where a service's sessions happen (places.py resolves a session's place from it)."""

    IN_PERSON = "in_person"  # at the clinic's address
    VIDEO = "video"
    PHONE = "phone"


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # by the client, from their dashboard, while it was still waiting


class ClientStatus(StrEnum):
    WAITLIST = "waitlist"  # has asked, not yet accepted
    ACTIVE = "active"  # one of the clinic's clients


class ChargeStatus(StrEnum):
    OPEN = "open"
    CHARGED = "charged"
    WAIVED = "waived"


class ChargeReason(StrEnum):
    LATE_CANCELLATION = "late_cancellation"
    LATE_CHANGE = "late_change"  # a client's move inside the late window: not a cancellation to them
    NO_SHOW = "no_show"


class Actor(StrEnum):
    """Who changed a session."""

    CLIENT = "client"
    PROFESSIONAL = "professional"


class CancelReason(StrEnum):
    NONE = ""
    RESCHEDULED = "rescheduled"


class Role(StrEnum):
    """What a member of a clinic's team is to it: server/roles.py says what each may do."""

    OWNER = "owner"
    PROFESSIONAL = "professional"
    FRONT_DESK = "front_desk"

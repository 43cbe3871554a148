"""Wellbeing Hubs: the owner creates, renames, closes and reopens them and chooses their members; each
membership shows the member's calendar or takes requests only. One function per change, each in its
own transaction."""

from .db import database
from .models import Hub, HubMember, Professional, utcnow
from .states import HubMode


class HubError(ValueError):
    """A hub change that cannot be made as asked."""


def create_hub(clinic, name):
    if not name.strip():
        raise HubError("a hub needs a name")
    return Hub.create(clinic=clinic, name=name.strip())


def rename_hub(hub, name):
    if not name.strip():
        raise HubError("a hub needs a name")
    Hub.update(name=name.strip()).where(Hub.id == hub.id).execute()
    hub.name = name.strip()
    return hub


def set_closed(hub, closed, now=None):
    """Close a hub (its page then says so and takes no bookings or requests; nothing is deleted) or reopen it."""
    closed_at = (now or utcnow()) if closed else None
    Hub.update(closed_at=closed_at).where(Hub.id == hub.id).execute()
    hub.closed_at = closed_at
    return hub


def add_member(hub, professional, mode=None):
    """Add one of the hub's clinic's professionals, last in the list, showing what they chose for new hubs
    unless `mode` says otherwise. Adding a member twice leaves the one membership."""
    if professional.clinic_id != hub.clinic_id:
        raise HubError("a hub's members are its clinic's professionals")
    with database.atomic():
        last = HubMember.select(HubMember.position).where(HubMember.hub == hub).order_by(HubMember.position.desc())
        position = (last.scalar() or 0) + 1
        member, _created = HubMember.get_or_create(
            hub=hub,
            professional=professional,
            defaults={"position": position, "mode": HubMode(mode or professional.hub_mode)},
        )
    return member


def remove_member(member):
    """Take a member off the hub: sessions already booked through it stay as they are."""
    member.delete_instance()


def set_member_mode(member, mode):
    """Whether this hub shows the member's calendar or takes requests for them only (states.HubMode)."""
    HubMember.update(mode=HubMode(mode)).where(HubMember.id == member.id).execute()
    member.mode = HubMode(mode)
    return member


def members(hub):
    """The hub's memberships in page order, each with its professional."""
    return (
        HubMember.select(HubMember, Professional)
        .join(Professional)
        .where(HubMember.hub == hub)
        .order_by(HubMember.position, HubMember.id)
    )


def rotate_link(hub):
    """Replace the hub's link: the old one then answers "this link was replaced"."""
    Hub.update(link_version=Hub.link_version + 1).where(Hub.id == hub.id).execute()
    hub.link_version = Hub.get_by_id(hub.id).link_version
    return hub

"""Where a session happens, in plain Python (no Flask): one place per session, resolved from what the
professional set on the session, else its service's kind of place, else the professional's own video link,
else the clinic's address. Every page, email and invitation asks `resolve` and shows what it answers.

Also the checks on what the team types for a place: an address and a note are bounded text; a video link
is an https address (what a client taps in an email must not open anything else) of bounded length.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from .states import PlaceKind

# Longest values kept: an address of a few lines, a web address, a one-line note.
ADDRESS_LENGTH = 500
VIDEO_LINK_LENGTH = 500
NOTE_LENGTH = 200


@dataclass(frozen=True)
class Place:
    """A session's place: its kind, the address (in person), the video link (video, when one is set) and
    the professional's note for this session."""

    kind: str
    address: str = ""
    video_link: str = ""
    note: str = ""

    @property
    def address_line(self):
        """The address on one line, as calendars show a LOCATION."""
        return ", ".join(line.strip() for line in self.address.splitlines() if line.strip())

    @property
    def is_video(self):
        return self.kind == PlaceKind.VIDEO

    @property
    def is_phone(self):
        return self.kind == PlaceKind.PHONE

    @property
    def is_known(self):
        """Whether there is anything to tell the client: a phone session always says so."""
        return bool(self.address or self.video_link or self.note or self.kind == PlaceKind.PHONE)


def resolve(session_video_link, session_note, service_place, professional_video_link, clinic_address):
    """The place of one session. A video link set on the session makes it a video session whatever its
    service says; otherwise the service's kind decides (no service: in person), a video session takes the
    professional's usual link and an in-person one the clinic's address. The note always comes along."""
    note = (session_note or "").strip()
    if session_video_link:
        return Place(PlaceKind.VIDEO, video_link=session_video_link, note=note)
    kind = service_place if service_place in set(PlaceKind) else PlaceKind.IN_PERSON
    if kind == PlaceKind.VIDEO:
        return Place(PlaceKind.VIDEO, video_link=professional_video_link or "", note=note)
    if kind == PlaceKind.PHONE:
        return Place(PlaceKind.PHONE, note=note)
    return Place(PlaceKind.IN_PERSON, address=(clinic_address or "").strip(), note=note)


class BadPlace(ValueError):
    """What was typed for a place cannot be kept; `field` names which ("video_link", "address", "note")."""

    def __init__(self, field):
        super().__init__(field)
        self.field = field


def is_video_link(value):
    """An https address with a host, printable and without spaces: safe to put behind a button."""
    parts = urlsplit(value)
    return (
        len(value) <= VIDEO_LINK_LENGTH
        and parts.scheme == "https"
        and bool(parts.hostname)
        and value.isprintable()
        and " " not in value
    )


def clean_video_link(value):
    """The link as kept ("" for none); raises BadPlace("video_link") for anything but an https address."""
    value = (value or "").strip()
    if value and not is_video_link(value):
        raise BadPlace("video_link")
    return value


def clean_address(value):
    """The address with its lines trimmed and blank lines dropped; raises BadPlace("address") when too long
    or holding control characters other than line breaks."""
    lines = [line.strip() for line in (value or "").splitlines()]
    address = "\n".join(line for line in lines if line)
    if len(address) > ADDRESS_LENGTH or not all(line.isprintable() for line in lines):
        raise BadPlace("address")
    return address


def clean_note(value):
    """A one-line note; raises BadPlace("note") when too long or not a single printable line."""
    note = (value or "").strip()
    if len(note) > NOTE_LENGTH or not note.isprintable():
        raise BadPlace("note")
    return note

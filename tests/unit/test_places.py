"""Where a session happens, resolved in plain Python: a table of who sets what, and the checks on what the
team types for a place."""

import ast
import inspect

import pytest
from frontdesk import places
from frontdesk.states import PlaceKind

ADDRESS = "12 Harbour Road\nReykjavik 101"
ROOM = "https://video.example/ada"
SESSION_ROOM = "https://video.example/kim-tuesday"


@pytest.mark.parametrize(
    "session_link, note, service_place, professional_link, expected",
    [
        # No service, nothing set on the session: in person at the clinic's address.
        ("", "", None, ROOM, places.Place(PlaceKind.IN_PERSON, address=ADDRESS)),
        ("", "", PlaceKind.IN_PERSON, ROOM, places.Place(PlaceKind.IN_PERSON, address=ADDRESS)),
        # A video service takes the professional's usual room, or says only "by video" without one.
        ("", "", PlaceKind.VIDEO, ROOM, places.Place(PlaceKind.VIDEO, video_link=ROOM)),
        ("", "", PlaceKind.VIDEO, "", places.Place(PlaceKind.VIDEO)),
        ("", "", PlaceKind.PHONE, ROOM, places.Place(PlaceKind.PHONE)),
        # The session's own link wins over the service and the professional, and the note always comes along.
        (SESSION_ROOM, "", PlaceKind.IN_PERSON, ROOM, places.Place(PlaceKind.VIDEO, video_link=SESSION_ROOM)),
        (
            SESSION_ROOM,
            "Test your sound",
            PlaceKind.PHONE,
            "",
            places.Place(PlaceKind.VIDEO, "", SESSION_ROOM, "Test your sound"),
        ),
        ("", " Room 2 ", PlaceKind.IN_PERSON, "", places.Place(PlaceKind.IN_PERSON, address=ADDRESS, note="Room 2")),
        # A kind this version does not know reads as in person rather than failing.
        ("", "", "balcony", "", places.Place(PlaceKind.IN_PERSON, address=ADDRESS)),
    ],
)
def test_the_session_then_the_service_then_the_professional_then_the_clinic(
    session_link, note, service_place, professional_link, expected
):
    assert places.resolve(session_link, note, service_place, professional_link, ADDRESS) == expected


def test_an_address_reads_on_one_line_for_calendars():
    place = places.resolve("", "", PlaceKind.IN_PERSON, "", ADDRESS)
    assert place.address_line == "12 Harbour Road, Reykjavik 101"
    assert not places.resolve("", "", PlaceKind.IN_PERSON, "", "").is_known
    assert places.resolve("", "", PlaceKind.PHONE, "", "").is_known


@pytest.mark.parametrize(
    "value, kept",
    [("", ""), ("  https://meet.example/abc?pwd=1 ", "https://meet.example/abc?pwd=1")],
)
def test_a_video_link_is_kept_trimmed(value, kept):
    assert places.clean_video_link(value) == kept


@pytest.mark.parametrize(
    "value",
    [
        "http://meet.example/abc",
        "javascript:alert(1)",
        "https://",
        "meet.example/abc",
        "https://meet.example/a b",
        "https://meet.example/\u202eabc",
        "https://meet.example/" + "a" * places.VIDEO_LINK_LENGTH,
    ],
)
def test_a_video_link_must_be_https_and_bounded(value):
    with pytest.raises(places.BadPlace) as refused:
        places.clean_video_link(value)
    assert refused.value.field == "video_link"


def test_an_address_keeps_its_lines_and_refuses_control_characters_and_length():
    assert places.clean_address(" 12 Harbour Road \n\n Reykjavik 101 ") == ADDRESS
    for bad in ("12 Harbour Road\x07", "a" * (places.ADDRESS_LENGTH + 1)):
        with pytest.raises(places.BadPlace):
            places.clean_address(bad)


def test_a_note_is_one_short_line():
    assert places.clean_note(" Room 2 ") == "Room 2"
    for bad in ("Room 2\nsecond floor", "a" * (places.NOTE_LENGTH + 1)):
        with pytest.raises(places.BadPlace):
            places.clean_note(bad)


def test_places_do_not_import_flask_or_the_database():
    tree = ast.parse(inspect.getsource(places))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not imported & {"flask", "flask_babel", "peewee"}

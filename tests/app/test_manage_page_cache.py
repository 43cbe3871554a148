"""The manage page (/m/) is kept rendered (page_cache) and yet never shown out of date: after every change to
the session, its people, its service, its clinic, and as the clock brings the session closer, the next view in
the same process shows it; the dashboard link is signed per view and handed out only while the link acts."""

import datetime as dt
import re

import pytest
from frontdesk import appointments, clinic_settings
from frontdesk.client import manage
from frontdesk.models import Client, Clinic, Professional, utcnow
from frontdesk.states import Actor
from itsdangerous import TimestampSigner

from .booking_fixtures import make_session, manage_path, owner_of, service_of
from .conftest import path_of, text
from .test_page_cache import rename_service as renamed_in_settings

pytestmark = pytest.mark.usefixtures("hub")  # the owner works every day from 09:00 to 17:00


@pytest.fixture
def session(clinic):
    return make_session(clinic, 72, channel="direct")


def rename_professional(session):
    Professional.update(name="Dr Amal Farouk").where(Professional.id == session.professional_id).execute()
    return "Dr Amal Farouk", True


def rename_service(session):
    return renamed_in_settings(session.clinic), True


def cancel(session):
    appointments.cancel(session, Actor.PROFESSIONAL, owner_of(session.clinic))
    return "This session was cancelled.", True


def move(session):
    appointments.reschedule(
        session, session.starts_at + dt.timedelta(days=1), Actor.PROFESSIONAL, owner_of(session.clinic)
    )
    return "This session was rescheduled.", True


def give_a_video_room(session):
    appointments.set_place(session, "https://meet.example/room-7", "", session.sequence, owner_of(session.clinic))
    return "https://meet.example/room-7", True


def client_moves_abroad(session):
    Client.update(timezone="Asia/Tokyo").where(Client.id == session.client_id).execute()
    return "Japan Standard Time", True


@pytest.mark.parametrize(
    "change", [rename_professional, rename_service, cancel, move, give_a_video_room, client_moves_abroad]
)
def test_every_change_shows_on_the_very_next_view(client, session, change):
    path = manage_path(session)
    before = text(client.get(path))
    assert unsigned(client.get(path)) == unsigned_text(before), "kept, but for the link signed per view"
    shown, present = change(session)
    assert shown not in before
    assert (shown in text(client.get(path))) is present


def test_a_kept_page_costs_one_query(client, session, sent_sql):
    path = manage_path(session)
    client.get(path)
    queries = sent_sql()
    assert client.get(path).status_code == 200
    assert len(queries) == 1 and '"appointment"' in queries[0]


def unsigned_text(page):
    return re.sub(r'href="http://frontdesk\.test/c/[^"]+"', 'href="…"', page)


def unsigned(response):
    return unsigned_text(text(response))


def dashboard_href(response):
    found = re.search(r'href="(http://frontdesk\.test/c/[^"]+)"', text(response))
    return found and found.group(1).replace("&amp;", "&")


def test_the_kept_page_hands_out_a_dashboard_link_signed_for_this_view(client, session, monkeypatch):
    path = manage_path(session)
    first = dashboard_href(client.get(path))
    assert first and client.get(path_of(first)).status_code == 200
    later = int(utcnow().replace(tzinfo=dt.timezone.utc).timestamp()) + 5
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda signer: later)
    second = dashboard_href(client.get(path))
    assert second and second != first, "signed when handed out, not when the page was kept"


def test_the_page_follows_the_clock_as_the_session_starts(client, session, monkeypatch):
    path = manage_path(session)
    assert "Cancel session" in text(client.get(path))
    monkeypatch.setattr(manage, "utcnow", lambda: session.starts_at + dt.timedelta(minutes=1))
    page = text(client.get(path))
    assert "Cancel session" not in page and "Reschedule" not in page


def test_a_language_and_a_time_zone_asked_for_get_their_own_page(client, session, clinic):
    path = manage_path(session)
    clinic_settings.save_languages(Clinic.get_by_id(clinic.id), "en", ["en", "de"], {}, {}, {})
    english = text(client.get(path))
    assert '<html lang="de"' in text(client.get(path + "?lang=de"))
    assert "Japan Standard Time" in text(client.get(path + "?tz=Asia/Tokyo"))
    assert unsigned(client.get(path)) == unsigned_text(english)
    assert service_of(clinic).name in english

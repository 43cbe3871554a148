"""Manage links die with their session (issue 12): once a session is cancelled, moved or over, its link shows
where the session stands and hands out no other link; a week after the session it has expired; and the
dashboard link a client asks for by email lasts a day."""

import re
import time

from frontdesk import appointments, links
from frontdesk.models import Appointment
from frontdesk.states import Actor
from itsdangerous import TimestampSigner

from tests.conftest import snapshot
from tests.pages import form_token

from .booking_fixtures import fresh, keys, local_start, make_session, manage_path
from .conftest import text

TOKEN_LINK = re.compile(r'href="[^"]*/(?:m|c)/[A-Za-z0-9_\-\.]{9,}[^"]*"')


def handed_out(page, own_path):
    """Every link on a page that carries a signed manage or dashboard token other than the page's own (its
    language switcher and its own actions)."""
    own_token = own_path.split("/")[2]
    return [href for href in TOKEN_LINK.findall(page) if own_token not in href]


def test_an_upcoming_sessions_current_link_still_leads_to_the_dashboard(client, clinic):
    session = make_session(clinic, 72)
    path = manage_path(session)
    page = text(client.get(path))
    assert "See all your sessions" in page and any("/c/" in href for href in handed_out(page, path))


def test_a_cancelled_sessions_link_hands_out_no_new_link(client, clinic):
    session = make_session(clinic, 72)
    path = manage_path(session)
    appointments.cancel(session, Actor.CLIENT)
    page = text(client.get(path))
    assert "This session was cancelled." in page
    assert handed_out(page, path) == []
    assert "Get a link to your sessions" in page and 'href="/c/' in page


def test_an_ended_sessions_link_hands_out_no_new_link(client, clinic):
    session = make_session(clinic, -2)
    path = manage_path(session)
    page = text(client.get(path))
    assert handed_out(page, path) == [] and "Cancel session" not in page


def test_after_a_reschedule_the_old_link_neither_manages_nor_leads_to_the_new_session(client, clinic, hub):
    session = make_session(clinic, 72, channel="hub", hub=hub)
    old = manage_path(session)
    new_start = local_start(clinic, 5, 11)
    _, moved = appointments.reschedule(session, new_start, Actor.PROFESSIONAL, professional=session.professional)
    page = text(client.get(old))
    assert "This session was rescheduled. New time:" in page
    assert handed_out(page, old) == [] and "Manage the new session" not in page

    before = snapshot()
    shown = client.get(old + "/cancel")
    attempt = client.post(old + "/cancel", data={"form_token": form_token(client.get(manage_path(moved) + "/cancel"))})
    assert attempt.status_code == 409 and snapshot() == before
    assert "Cancel session" not in text(shown)
    assert fresh(moved).status == "booked"


def test_a_manage_link_expires_a_week_after_its_session(client, clinic):
    recent = make_session(clinic, -24 * 6)
    assert client.get(manage_path(recent)).status_code == 200
    old = make_session(clinic, -24 * 8)
    path = manage_path(old)
    response = client.get(path)
    assert response.status_code == 410
    page = text(response)
    assert "This link has expired" in page and "Email me a link" in page
    assert "Kim Lee" not in page and handed_out(page, path) == []
    assert client.post(manage_path(old) + "/cancel").status_code == 410


def test_the_manage_link_expiry_is_the_session_end_plus_a_week():
    import datetime as dt

    end = dt.datetime(2030, 1, 1, 10)
    assert not links.manage_link_expired(end, end + links.MANAGE_GRACE)
    assert links.manage_link_expired(end, end + links.MANAGE_GRACE + dt.timedelta(seconds=1))


def requested_token(client_row, hours_ago):
    real = TimestampSigner.get_timestamp
    TimestampSigner.get_timestamp = lambda self: int(time.time()) - int(hours_ago * 3600)
    try:
        return links.dashboard_token(keys(), client_row, requested=True)
    finally:
        TimestampSigner.get_timestamp = real


def test_a_dashboard_link_asked_for_by_email_lasts_a_day(client, clinic):
    session = make_session(clinic, 72)
    kim = session.client
    assert client.get(f"/c/{requested_token(kim, 23)}").status_code == 200
    expired = client.get(f"/c/{requested_token(kim, 25)}")
    assert expired.status_code == 410 and "This link has expired" in text(expired)
    assert "Kim Lee" not in text(expired)
    assert Appointment.select().count() == 1

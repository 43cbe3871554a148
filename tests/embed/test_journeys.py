"""Client journeys that end somewhere useful, through the test client: a confirmation stays a
confirmation in another language, and its switcher cannot be turned into a way in."""

import time
from unittest import mock
from urllib.parse import urlsplit

from frontdesk import links, urls
from frontdesk.models import Clinic, Request

from tests.app.booking_fixtures import owner_of, work_every_day
from tests.conftest import snapshot
from tests.pages import field, form_token, parse

from .test_embedding_settings import path, send

CONFIRMATION = "/confirmation"


def switch(client, page, language):
    """Press the language switcher of a confirmation page."""
    return client.post(CONFIRMATION, data={"shown": field(page, "shown"), "switch_language": language})


def test_switching_language_on_the_request_confirmation_keeps_the_confirmation(client, clinic):
    sent = send(client, path(clinic))
    assert "Thank you, your request was sent" in sent.get_data(as_text=True)
    before = snapshot()
    again = switch(client, sent, "de")
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "Vielen Dank, Ihre Anfrage wurde gesendet" in page
    assert "sam@example.com" in page
    # The website heard about the request once, from the first page, not again now.
    assert "data-frontdesk-event" not in page
    # Switching back works from the new page too, and nothing was sent twice.
    assert "Thank you, your request was sent" in switch(client, again, "en").get_data(as_text=True)
    assert snapshot() == before


def test_switching_language_on_the_booking_confirmation_keeps_the_booking(client, clinic):
    calendar = urlsplit(urls.booking_link(owner_of(Clinic.get_by_id(clinic.id)))).path
    work_every_day(owner_of(clinic))
    start = parse(client.get(calendar)).find("button", name="start")["value"]
    details = client.get(f"{calendar}/book", query_string={"start": start})
    booked = client.post(
        f"{calendar}/book",
        data={"name": "Sam Rivera", "email": "sam@example.com", "form_token": form_token(details), "start": start},
    )
    assert 'data-frontdesk-event="booked"' in booked.get_data(as_text=True)
    page = switch(client, booked, "de").get_data(as_text=True)
    assert "Ihre Sitzung ist gebucht" in page and "Sitzung bestätigen" not in page
    assert "data-frontdesk-event" not in page


def test_a_tampered_or_stale_confirmation_shows_nothing(client, clinic, app):
    token = field(send(client, path(clinic)), "shown")
    request_id = Request.get().id
    assert client.post(CONFIRMATION, data={"shown": token[:-2] + "xx"}).status_code == 404
    assert client.post(CONFIRMATION, data={}).status_code == 404
    # Another kind of signed token (the request link itself) is not a confirmation.
    assert client.post(CONFIRMATION, data={"shown": path(clinic).split("/")[-1]}).status_code == 404
    with mock.patch("time.time", return_value=time.time() - 2 * links.CONFIRMATION_MAX_AGE):
        old = links.confirmation_token(app.config["SECRET_KEYS"], "request", request_id)
    too_old = client.post(CONFIRMATION, data={"shown": old})
    assert too_old.status_code == 410 and "sam@example.com" not in too_old.get_data(as_text=True)

"""A client turns reminder emails off (and on again) from their dashboard."""

from frontdesk import links
from frontdesk.models import Client

from tests.app.booking_fixtures import make_client
from tests.conftest import snapshot
from tests.pages import form_token


def test_a_client_turns_reminders_off_and_on(app, clinic, client):
    kim = make_client(clinic)
    token = links.dashboard_token(app.config["SECRET_KEYS"], kim)
    page = client.get(f"/c/{token}")
    assert "We email you a reminder before each session." in page.get_data(as_text=True)

    response = client.post(f"/c/{token}/reminders", data={"form_token": form_token(page), "reminders": "off"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Your choice is saved." in text and "Reminder emails are off." in text
    assert Client.get_by_id(kim.id).reminders is False

    response = client.post(f"/c/{token}/reminders", data={"form_token": form_token(response), "reminders": "on"})
    assert Client.get_by_id(kim.id).reminders is True


def test_a_choice_that_is_neither_changes_nothing(app, clinic, client):
    kim = make_client(clinic)
    token = links.dashboard_token(app.config["SECRET_KEYS"], kim)
    page = client.get(f"/c/{token}")
    before = snapshot()
    response = client.post(f"/c/{token}/reminders", data={"form_token": form_token(page), "reminders": "maybe"})
    assert response.status_code == 422
    assert "Please choose whether to get reminders." in response.get_data(as_text=True)
    assert snapshot() == before

"""Absolute addresses for emails, snippets and the command line, built on FRONTDESK_BASE_URL.

Pages and emails must name the public address even when no request is being served (the mail
worker, the CLI), so these never depend on the current request's host.
"""

from flask import current_app
from werkzeug.routing import IntegerConverter

from . import links

# The largest id a database row can have (a signed 64-bit integer on PostgreSQL).
LARGEST_ID = 2**63 - 1


class RowId(IntegerConverter):
    """`<int:...>` in every route: a number no row can have does not match, so it is a 404 before any
    query (PostgreSQL would refuse it as out of range, a 500)."""

    def __init__(self, map, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, **kwargs)


def external_url(endpoint, **values):
    path = current_app.url_map.bind("frontdesk.invalid").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def _keys():
    return current_app.config["SECRET_KEYS"]


def request_link(clinic):
    """The clinic's current signed request link."""
    return external_url("client.request_form", token=links.request_token(_keys(), clinic))


def booking_link(professional):
    """One professional's bookable calendar."""
    return external_url("client.booking_page", token=links.booking_token(_keys(), professional))


def hub_link(hub):
    return external_url("client.hub_page", token=links.hub_token(_keys(), hub))


def manage_link(appointment):
    """The link in emails that manages one session; it stops acting once the session changes."""
    return external_url("client.manage", token=links.manage_token(_keys(), appointment))


def hold_confirm_link(appointment):
    """The link in a held session's email that confirms it."""
    return external_url("client.confirm_hold", token=links.hold_token(_keys(), appointment))


def rebooking_link(appointment):
    """Where a client books again the kind of session they had: its hub's page, or the professional's calendar."""
    return hub_link(appointment.hub) if appointment.hub_id else booking_link(appointment.professional)


def dashboard_link(client, requested=False):
    """The client's dashboard; `requested`: the short-lived link of an "email me a link" email."""
    return external_url("client.dashboard", token=links.dashboard_token(_keys(), client, requested))


def invitation_link(invitation):
    """The link in an invitation email where a new member sets their name and password."""
    return external_url("workstation.invitation", token=links.invitation_token(_keys(), invitation))


def feed_link(professional):
    """A professional's private calendar subscription address; replacing it retires this one."""
    return external_url("client.calendar_feed", token=links.feed_token(_keys(), professional))


def init_app(app):
    """Set before the blueprints add their routes, which read the converter when they are added."""
    app.url_map.converters["int"] = RowId
    app.jinja_env.globals.update(
        external_url=external_url,
        request_link=request_link,
        booking_link=booking_link,
        hub_link=hub_link,
        manage_link=manage_link,
        hold_confirm_link=hold_confirm_link,
        rebooking_link=rebooking_link,
        dashboard_link=dashboard_link,
        invitation_link=invitation_link,
        feed_link=feed_link,
    )

"""Absolute addresses for emails, snippets and the command line, built on FRONTDESK_BASE_URL.

Pages and emails must name the public address even when no request is being served (the mail
worker, the CLI), so these never depend on the current request's host.
"""
from flask import current_app

from . import links


def external_url(endpoint, **values):
    path = current_app.url_map.bind("frontdesk.invalid").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def request_link(clinic):
    """The clinic's current signed request link."""
    return external_url("client.request_form", token=links.request_token(current_app.config["SECRET_KEYS"], clinic))


def init_app(app):
    app.jinja_env.globals.update(external_url=external_url, request_link=request_link)

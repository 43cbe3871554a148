"""The public pages a client reaches through a clinic's signed links, embeddable in any site.

These pages set no cookies (they must work inside a third-party iframe) and never flash.
"""

from flask import Blueprint

bp = Blueprint("client", __name__)

from . import (  # noqa: E402,F401  (routes register themselves on bp)
    booking_pages,
    calendar_feed,
    confirmations,
    dashboard,
    holds,
    manage,
    rights,
    views,
)

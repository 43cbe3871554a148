"""A professional's calendar subscription address (/f/<token>.ics), fetched by calendar apps with no
login: the signed token is the key, and replacing it from the workstation retires the old one."""

from flask import abort, current_app

from .. import calendar_feeds, links
from ..models import Professional
from . import bp


@bp.route("/f/<token>.ics")
def calendar_feed(token):
    try:
        professional_id, version = links.read_feed_token(current_app.config["SECRET_KEYS"], token)
    except links.InvalidLink:
        abort(404)
    professional = Professional.get_or_none(Professional.id == professional_id) or abort(404)
    if version != professional.feed_version:
        abort(410)  # replaced: calendar apps stop asking
    return calendar_feeds.feed(professional), 200, {"Content-Type": "text/calendar; charset=utf-8"}

"""Opening a client page's signed link, and the page context it sets: whose clinic and client it shows.

language_choice and timezones read these `g` keys to choose the language and the times shown, and security.py
to frame the page only where the clinic allows, so every client page sets them here and nowhere else.
"""

from flask import abort, current_app, g, make_response, render_template

from .. import links, urls


def use_page_of(clinic, client=None):
    """The page is `clinic`'s (in its language, framed where it allows) and, if given, `client`'s."""
    if clinic is not None:
        g.clinic_language = clinic.default_language
        g.frame_clinic = clinic
    if client is not None:
        g.client_language = client.language
    g.page_client = client


def open_versioned_link(read, token, rows, clinic_of, version_of):
    """The row a versioned link (request, booking, hub) names: 404 when the token is not ours or the row
    is gone, 410 when the link was replaced (that page is in the row's clinic's language and framing,
    so the context is set first, and names the clinic and its current request link, if it takes requests,
    and nothing else: no professional's or hub's name). `rows` is the db.CompiledQuery that reads it by id
    (with its clinic, where the row is not a clinic)."""
    try:
        object_id, version = read(current_app.config["SECRET_KEYS"], token)
    except links.InvalidLink:
        abort(404)
    row = rows.first(object_id) or abort(404)
    use_page_of(clinic_of(row))
    try:
        links.check_version(version, version_of(row))
    except links.ReplacedLink:
        abort(replaced_link_page(clinic_of(row)))
    return row


def replaced_link_page(clinic):
    """The 410 page of a replaced link: whose it was and where to go instead."""
    instead = urls.request_link(clinic) if clinic.requests_enabled else None
    return make_response(render_template("client/link_replaced.html", clinic=clinic, instead=instead), 410)

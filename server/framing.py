"""Which websites may frame which client pages: a clinic's "allowed websites" and the CSP
`frame-ancestors` they become (DESIGN.md, "Embedding").

An origin is written into a response header, so it is parsed strictly and rebuilt from its parts:
whatever the clinic typed, only `scheme://host[:port]` reaches the header, never a space, quote or
semicolon that could add a directive of its own.
"""

import re
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

# A DNS name (letters, digits, hyphens; IDNs in their xn-- form) or an IPv4 address.
HOST = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Pages that act on one client's session or account: only the clinic's own websites and this server
# may frame them, so that a stranger's page cannot wrap a Cancel button.
PRIVATE_PREFIXES = ("/m/", "/c/", "/confirm/")


class BadOrigin(ValueError):
    """Not a website origin: the message says what to type instead."""


def parse_origin(text):
    """`text` as a normalised origin ("https://www.example.com", "http://localhost:8000")."""
    text = text.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise BadOrigin(_l("%(value)s is not a website address.", value=text)) from None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.netloc:
        raise BadOrigin(
            _l("%(value)s must start with https:// (or http://), like https://www.example.com.", value=text)
        )
    if (
        parts.username is not None
        or parts.password is not None
        or parts.query
        or parts.fragment
        or parts.path not in ("", "/")
    ):
        raise BadOrigin(
            _l(
                "%(value)s must be the website's address only, like https://www.example.com, "
                "without a page or anything after it.",
                value=text,
            )
        )
    host = (parts.hostname or "").rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = ""
    if not HOST.fullmatch(host):
        raise BadOrigin(_l("%(value)s is not a website address.", value=text))
    scheme = parts.scheme.lower()
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def parse_origins(lines):
    """Each non-empty line as an origin, once each, in the order given; BadOrigin for the first bad one."""
    origins = []
    for line in lines:
        if line.strip():
            origin = parse_origin(line)
            if origin not in origins:
                origins.append(origin)
    return origins


def frame_ancestors(allowed_origins, path):
    """The sources of CSP frame-ancestors for a client page at `path` of a clinic that listed
    `allowed_origins`: any website while there are none, else those and this server itself (whose
    Settings → Client Access previews the embeds); private pages (manage a session, the client's
    dashboard) only the listed websites and this server, list or no list."""
    if not allowed_origins and not path.startswith(PRIVATE_PREFIXES):
        return "*"
    return " ".join(["'self'", *allowed_origins])

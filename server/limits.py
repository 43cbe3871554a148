"""Rate limits (Flask-Limiter) on login and the public forms, and what one network and one link may book.

Kept in memory per process unless FRONTDESK_RATELIMIT_STORAGE names a shared store (redis://…),
which several app processes need so that a limit counts across them. While that store cannot be
reached, each process counts in its own memory instead: logins and forms stay throttled and working
rather than failing with a 500.

Self-bookings (SELF_BOOKINGS_PER_NETWORK, SELF_BOOKINGS_PER_LINK) are counted in the same store through
the `limits` library that Flask-Limiter is built on: a booking is counted once it is made, and refused
while its network or its link has used its allowance. Keys hold no address in clear: a network and a
link are hashed before they are stored.
"""

import hashlib
import ipaddress
import logging

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

limiter = Limiter(key_func=get_remote_address, default_limits=[])
log = logging.getLogger(__name__)


def init_app(app):
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE"]
    # `limiter` is one object for every app in the process, and left unset it keeps the previous app's
    # choice: an app made after one with limits off (as in the tests) would silently have none.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)
    app.extensions["self_bookings"] = SelfBookings(app.config["RATELIMIT_STORAGE"])


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def network_of(address):
    """The network one household or one machine books from: an IPv4 address, or an IPv6 address's /64 (one
    device may hold a whole /64, so counting single IPv6 addresses would count nothing)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or ""
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class SelfBookings:
    """Counts of sessions booked from one network and through one link, in the rate-limit storage (or in this
    process's memory while that storage cannot be reached)."""

    def __init__(self, storage_uri):
        self.shared = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.local = MovingWindowRateLimiter(MemoryStorage())

    def _each(self, link_token):
        config = current_app.config
        yield parse(config["SELF_BOOKINGS_PER_NETWORK"]), "network", _digest(network_of(get_remote_address()))
        yield parse(config["SELF_BOOKINGS_PER_LINK"]), "link", _digest(link_token)

    def _call(self, method, *args):
        try:
            return getattr(self.shared, method)(*args)
        except Exception as error:  # noqa: BLE001  (any storage failure: count here rather than fail the booking)
            log.warning("rate-limit storage unavailable, counting self-bookings in memory: %s", error)
            return getattr(self.local, method)(*args)

    def allowed(self, link_token):
        """Whether one more session may be booked from this request's network through this link."""
        if not current_app.config["RATELIMIT_ENABLED"]:
            return True
        return all(self._call("test", item, "self-booking", kind, key) for item, kind, key in self._each(link_token))

    def count(self, link_token):
        """Count a session just booked from this request's network through this link."""
        if current_app.config["RATELIMIT_ENABLED"]:
            for item, kind, key in self._each(link_token):
                self._call("hit", item, "self-booking", kind, key)


def self_bookings():
    return current_app.extensions["self_bookings"]

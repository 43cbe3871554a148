"""Fetching an external calendar's address without being turned against our own network (server-side
request forgery). Plain Python and urllib3, no Flask: the one place that opens a connection to an address a
professional typed.

The rules: only https (plain http only to loopback, and loopback only when the setting allows it, for
tests); the name is resolved here and every address it resolves to must be public (not private, loopback,
link-local and so cloud metadata, multicast, reserved, shared or unspecified, nor one of those inside an
IPv6 mapping); the connection then goes to the address that was checked, never to a second lookup, so a
name that changes its answer in between (DNS rebinding) reaches nothing new; TLS still verifies the
certificate against the name. Redirects are followed by hand, a few at most, each hop checked the same
way. A whole fetch has one deadline and a size cap, counted on the decoded body.

Errors are codes (FetchError.code), never the address or the exception's text, which names the host: what
is stored, logged or shown cannot leak the secret address.
"""

import dataclasses
import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

import urllib3

# Why a fetch failed: refusals.CALENDAR_FETCH says each to the professional.
BAD_ADDRESS = "bad_address"  # not an address we fetch: no host, a scheme other than https, credentials
FORBIDDEN_ADDRESS = "forbidden_address"  # resolves to (or redirects to) a private or reserved address
UNKNOWN_HOST = "unknown_host"  # the name does not resolve
CONNECTION = "connection"  # refused, reset, or a TLS certificate that does not match
TIMEOUT = "timeout"
TOO_LARGE = "too_large"
TOO_MANY_REDIRECTS = "too_many_redirects"
HTTP_STATUS = "http_status"  # answered with an error status (FetchError.status)
NOT_A_CALENDAR = "not_a_calendar"  # fetched, but not iCalendar (calendar_sync raises it after parsing)

MAX_URL_LENGTH = 2000
MAX_REDIRECTS = 3
REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "Frontdesk calendar sync"
# Seconds one network read (or the connect) may wait: the fetch's deadline is checked between reads, so a
# fetch ends at most this long after its deadline however the server drips its answer.
READ_WAIT = 10.0


class FetchError(Exception):
    """A fetch that failed, with a code from above (and the HTTP status for HTTP_STATUS)."""

    def __init__(self, code, status=None):
        super().__init__(code)
        self.code, self.status = code, status


@dataclasses.dataclass(frozen=True)
class Policy:
    """How a fetch is bounded: seconds for the whole fetch, bytes of the decoded body, and whether loopback
    addresses (and plain http to them) are allowed, which only tests want."""

    timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    allow_loopback: bool = False


@dataclasses.dataclass
class Fetched:
    """A fetch's outcome: the body (None when the server said 304 Not Modified) and the cache validators."""

    body: bytes | None
    etag: str = ""
    last_modified: str = ""


def normalise(url):
    """The address as it will be fetched: trimmed, and webcal:// (how Apple and Google write it) as https://."""
    url = (url or "").strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    return url


def check_syntax(url, allow_loopback=False):
    """Refuse what no fetch could take, before any lookup: returns (scheme, host, port)."""
    if len(url) > MAX_URL_LENGTH:
        raise FetchError(BAD_ADDRESS)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(BAD_ADDRESS) from None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in ("https", "http") or not host or parts.username or parts.password:
        raise FetchError(BAD_ADDRESS)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None and not address_allowed(literal, allow_loopback):
        raise FetchError(FORBIDDEN_ADDRESS)
    if scheme == "http" and not (allow_loopback and _is_loopback_name(host)):
        raise FetchError(BAD_ADDRESS)
    return scheme, host, port or (443 if scheme == "https" else 80)


def _is_loopback_name(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def address_allowed(address, allow_loopback=False):
    """Whether a connection may go to this IP address: a global one (or loopback, where allowed), also
    looking inside the IPv6 forms that carry an IPv4 address (mapped, 6to4, Teredo, NAT64)."""
    for inner in _embedded(address):
        if not address_allowed(inner, allow_loopback):
            return False
    if address.is_loopback:
        return allow_loopback
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded(address):
    if address.version != 6:
        return []
    inner = [address.ipv4_mapped, address.sixtofour, address.teredo and address.teredo[1]]
    if address in NAT64:
        inner.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [a for a in inner if a]


def resolve(host, port):
    """Every address the name resolves to (a test may replace this to play a DNS server)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(UNKNOWN_HOST) from None
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def checked_address(host, port, allow_loopback=False):
    """The address to connect to: the name's first, once every one it resolves to is allowed (a name with
    one private answer among public ones is refused: the next lookup might hand out that one)."""
    addresses = resolve(host, port)
    if not addresses:
        raise FetchError(UNKNOWN_HOST)
    if not all(address_allowed(a, allow_loopback) for a in addresses):
        raise FetchError(FORBIDDEN_ADDRESS)
    return addresses[0]


def fetch(url, policy, etag="", last_modified=""):
    """GET the calendar at `url` under `policy`, sending the cache validators; follows up to MAX_REDIRECTS
    redirects, checking each hop. Returns Fetched, or raises FetchError."""
    deadline = time.monotonic() + policy.timeout
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5", "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    url = normalise(url)
    for _hop in range(MAX_REDIRECTS + 1):
        response = _get(url, headers, policy, deadline)
        try:
            if response.status in REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(HTTP_STATUS, response.status)
                url = urljoin(url, location)
                continue
            if response.status == 304:
                return Fetched(None, etag, last_modified)
            if response.status != 200:
                raise FetchError(HTTP_STATUS, response.status)
            body = _read(response, policy, deadline)
            return Fetched(body, response.headers.get("ETag", ""), response.headers.get("Last-Modified", ""))
        finally:
            response.release_conn()
            response.close()
    raise FetchError(TOO_MANY_REDIRECTS)


def _get(url, headers, policy, deadline):
    scheme, host, port = check_syntax(url, policy.allow_loopback)
    address = checked_address(host, port, policy.allow_loopback)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default_port = port == (443 if scheme == "https" else 80)
    request_headers = dict(headers, Host=host if default_port else f"{host}:{port}")
    pool = _pool(scheme, str(address), port, host, _remaining(deadline))
    try:
        return pool.urlopen(
            "GET", target, headers=request_headers, redirect=False, retries=False, preload_content=False
        )
    except urllib3.exceptions.TimeoutError:
        raise FetchError(TIMEOUT) from None
    except urllib3.exceptions.HTTPError:
        raise FetchError(CONNECTION) from None


def _pool(scheme, address, port, host, seconds):
    """A one-connection pool to the checked address; for https, the certificate is verified against `host`
    and the TLS handshake names it (SNI). No proxy from the environment is used: it would connect instead."""
    timeout = urllib3.Timeout(connect=min(seconds, READ_WAIT), read=min(seconds, READ_WAIT))
    if scheme == "http":
        return urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)
    return urllib3.HTTPSConnectionPool(
        address,
        port,
        timeout=timeout,
        retries=False,
        maxsize=1,
        cert_reqs="CERT_REQUIRED",
        server_hostname=host,
        assert_hostname=host,
    )


def _remaining(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(TIMEOUT)
    return left


def _read(response, policy, deadline):
    """The decoded body, stopped at the size cap or the deadline. read1 returns what one network read brought
    (decoded, at most a chunk's worth, so a compressed bomb unpacks no further than the cap): a server dripping
    a byte at a time passes every read timeout, so the deadline is checked between reads."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes and "Content-Encoding" not in response.headers:
        raise FetchError(TOO_LARGE)
    chunks, size = [], 0
    try:
        while True:
            _remaining(deadline)
            chunk = response.read1(64 * 1024, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > policy.max_bytes:
                raise FetchError(TOO_LARGE)
            chunks.append(chunk)
    except urllib3.exceptions.TimeoutError:
        raise FetchError(TIMEOUT) from None
    except urllib3.exceptions.HTTPError:
        raise FetchError(CONNECTION) from None
    return b"".join(chunks)

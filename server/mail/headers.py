"""Header checks: a name or address that would add a header line is refused before it is stored."""

from email import policy
from email.errors import MessageError


class HeaderInjection(ValueError):
    """A name or address that would add a header line to a message."""


def reads_as_one_line(value, header="subject"):
    """Whether `value` stays one line in a header as the email package reads it: it splits lines on more
    than CR and LF, and decodes encoded-words, so "=?utf-8?q?=0D=0A?=" in a name would be a line break."""
    if value.isascii() and value.isprintable() and "=?" not in value:
        # Nothing to decode and no line-breaking character: it reads as itself (most names and addresses,
        # and parsing a header cost a sixth of a request's email work).
        return True
    try:
        read = str(policy.default.header_factory(header, value))
    except (ValueError, MessageError):
        return False
    return not any("\n" in text or "\r" in text or len(text.splitlines()) > 1 for text in (value, read))


def single_line(value, header):
    """`value`, refused with HeaderInjection unless it stays one line: a row that would add a header line
    (or could not be built at all) is never stored."""
    if not reads_as_one_line(value, header):
        raise HeaderInjection(value)
    return value

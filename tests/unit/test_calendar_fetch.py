"""Which addresses an external calendar may be fetched from (server-side request forgery): a table of IP
addresses, the address forms refused before any lookup, and a name whose answer is private."""

import ast
import inspect
import ipaddress

import pytest
from frontdesk import calendar_busy, calendar_fetch


@pytest.mark.parametrize(
    "address, allowed",
    [
        ("93.184.215.14", True),  # a public IPv4 address
        ("2606:4700:4700::1111", True),  # a public IPv6 address
        ("10.0.0.1", False),  # private
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # link-local: the cloud metadata service
        ("fd00:ec2::254", False),  # unique local: the cloud metadata service over IPv6
        ("fe80::1", False),  # link-local IPv6
        ("127.0.0.1", False),  # loopback
        ("::1", False),
        ("100.64.0.1", False),  # shared address space (carrier-grade NAT)
        ("224.0.0.1", False),  # multicast
        ("ff02::1", False),
        ("240.0.0.1", False),  # reserved
        ("0.0.0.0", False),  # unspecified
        ("::", False),
        ("255.255.255.255", False),  # broadcast
        ("::ffff:10.0.0.1", False),  # IPv4-mapped private
        ("::ffff:169.254.169.254", False),
        ("2002:a00:1::1", False),  # 6to4 around 10.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 around 169.254.169.254
        ("2001:db8::1", False),  # documentation
    ],
)
def test_only_public_addresses_are_allowed(address, allowed):
    assert calendar_fetch.address_allowed(ipaddress.ip_address(address)) is allowed


def test_loopback_is_allowed_only_when_the_setting_says_so():
    for address in ("127.0.0.1", "::1"):
        assert calendar_fetch.address_allowed(ipaddress.ip_address(address), allow_loopback=True)
    assert not calendar_fetch.address_allowed(ipaddress.ip_address("10.0.0.1"), allow_loopback=True)


@pytest.mark.parametrize(
    "url, code",
    [
        ("http://calendar.example.org/basic.ics", calendar_fetch.BAD_ADDRESS),  # plain http
        ("ftp://calendar.example.org/basic.ics", calendar_fetch.BAD_ADDRESS),
        ("file:///etc/passwd", calendar_fetch.BAD_ADDRESS),
        ("https://user:secret@calendar.example.org/basic.ics", calendar_fetch.BAD_ADDRESS),
        ("https:///basic.ics", calendar_fetch.BAD_ADDRESS),
        ("https://calendar.example.org:99999/basic.ics", calendar_fetch.BAD_ADDRESS),
        ("not an address", calendar_fetch.BAD_ADDRESS),
        ("https://10.1.2.3/basic.ics", calendar_fetch.FORBIDDEN_ADDRESS),
        ("https://169.254.169.254/latest/meta-data/", calendar_fetch.FORBIDDEN_ADDRESS),
        ("https://[::1]/basic.ics", calendar_fetch.FORBIDDEN_ADDRESS),
        ("https://[::ffff:a00:1]/basic.ics", calendar_fetch.FORBIDDEN_ADDRESS),
        ("http://127.0.0.1:8000/basic.ics", calendar_fetch.FORBIDDEN_ADDRESS),  # loopback not allowed here
        ("http://10.0.0.1/basic.ics", calendar_fetch.FORBIDDEN_ADDRESS),
        ("https://calendar.example.org/" + "a" * 2000, calendar_fetch.BAD_ADDRESS),
    ],
)
def test_addresses_refused_before_any_lookup(url, code):
    with pytest.raises(calendar_fetch.FetchError) as refused:
        calendar_fetch.check_syntax(calendar_fetch.normalise(url))
    assert refused.value.code == code


def test_webcal_is_read_as_https():
    url = calendar_fetch.normalise("  webcal://calendar.example.org/basic.ics ")
    assert url == "https://calendar.example.org/basic.ics"
    assert calendar_fetch.check_syntax(url) == ("https", "calendar.example.org", 443)


@pytest.mark.parametrize("answers", [["10.1.2.3"], ["93.184.215.14", "192.168.0.7"], ["::1"]])
def test_a_name_resolving_to_any_private_address_is_refused_without_connecting(monkeypatch, answers):
    """A public name whose DNS answer holds a private address (DNS rebinding's first step) is refused, and
    no connection is opened at all."""
    monkeypatch.setattr(calendar_fetch, "resolve", lambda host, port: [ipaddress.ip_address(a) for a in answers])

    def no_connection(*args, **kwargs):
        raise AssertionError("a connection was opened")

    monkeypatch.setattr(calendar_fetch, "_pool", no_connection)
    with pytest.raises(calendar_fetch.FetchError) as refused:
        calendar_fetch.fetch("https://calendar.example.org/basic.ics", calendar_fetch.Policy())
    assert refused.value.code == calendar_fetch.FORBIDDEN_ADDRESS


def test_fetching_and_parsing_never_import_flask_or_the_database():
    for module in (calendar_fetch, calendar_busy):
        tree = ast.parse(inspect.getsource(module))
        imported = {
            alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        imported |= {
            node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not imported & {"flask", "peewee"}, module.__name__

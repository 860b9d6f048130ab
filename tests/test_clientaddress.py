"""One client address for the whole site, behind zero, one or two proxies of our own."""

import logging

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from notrecontinent.clientaddress import client_address
from tests.factories import ArticleFactory

PROXY = "10.0.0.2"  # what REMOTE_ADDR says behind a proxy: the proxy itself
CDN = "198.51.100.20"  # an outer proxy of ours, seen by the inner one


def request(remote_addr=PROXY, forwarded=None, method="get"):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return getattr(RequestFactory(), method)("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded", "expected"),
    [
        # No proxy: the header is the client's own words, never read.
        (0, "203.0.113.7", None, "203.0.113.7"),
        (0, "203.0.113.7", "192.0.2.66", "203.0.113.7"),
        # One proxy: it appended the address it saw.
        (1, PROXY, "203.0.113.7", "203.0.113.7"),
        (1, PROXY, "192.0.2.66, 203.0.113.7", "203.0.113.7"),
        (1, PROXY, "192.0.2.66,192.0.2.67,   203.0.113.7", "203.0.113.7"),
        (1, PROXY, None, PROXY),  # a request to the proxy's own health check
        # Two proxies: the outer one appended the client, the inner one the outer one.
        (2, PROXY, f"203.0.113.7, {CDN}", "203.0.113.7"),
        (2, PROXY, f"192.0.2.66, 203.0.113.7, {CDN}", "203.0.113.7"),
        (2, PROXY, "203.0.113.7", "203.0.113.7"),  # came in past the outer proxy
    ],
)
def test_the_client_is_the_address_our_outermost_proxy_saw(
    settings, proxies, remote_addr, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request(remote_addr, forwarded)) == expected


@pytest.mark.parametrize("spoofed", ["192.0.2.66", "192.0.2.66, 192.0.2.67", "unknown, ::1"])
def test_a_client_cannot_choose_its_address(settings, spoofed):
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy appends the real peer after whatever the client sent.
    assert client_address(request(forwarded=f"{spoofed}, 203.0.113.7")) == "203.0.113.7"


@pytest.mark.parametrize(
    "forwarded", ["unknown", "", " , ", "203.0.113.999", "evil.example.org", "1.2.3.4.5", "\x00"]
)
def test_garbage_where_the_client_should_be_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request(forwarded=forwarded)) == PROXY


@pytest.mark.parametrize("remote_addr", ["", "unix:/run/gunicorn.sock", "garbage"])
def test_no_address_at_all_is_none(settings, remote_addr):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(remote_addr)) is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:203.0.113.7", "203.0.113.7"),  # an IPv4 client of an IPv6 socket
        ("203.0.113.7:51234", "203.0.113.7"),
        ("fe80::1%eth0", "fe80::1"),
        ("[2001:db8::1", PROXY),
    ],
)
def test_addresses_come_out_in_one_form(settings, written, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request(forwarded=f"192.0.2.66, {written}")) == expected


def test_ipv4_mapped_peer_without_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request("::ffff:203.0.113.7")) == "203.0.113.7"


# allauth's rate limits ------------------------------------------------------------------


def test_allauth_asks_the_same_function(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofing = request(forwarded="192.0.2.66, 203.0.113.7")
    assert get_adapter(spoofing).get_client_ip(spoofing) == "203.0.113.7"
    with pytest.raises(PermissionDenied):  # as allauth does: a 403, never a 500
        get_adapter().get_client_ip(request(remote_addr="", forwarded="unknown"))


def test_rate_limits_count_each_reader_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"signup": "3/m/ip"}

    def signup(forwarded):
        # allauth limits POSTs only, as a sign-up form sends.
        return ratelimit.consume(request(forwarded=forwarded, method="post"), action="signup")

    assert all(signup("203.0.113.7") for _ in range(3))
    assert not signup("203.0.113.7")
    assert not signup("192.0.2.66, 203.0.113.7")  # a forged header does not reset it
    assert signup("203.0.113.8")  # another reader, same proxy


# Logs -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_request_logs_carry_the_client_address(settings, client, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    ArticleFactory()
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/nulle-part/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="2001:DB8::7")
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    console = logging.getHandlerByName("console")
    assert console.filter(record)
    assert "[2001:db8::7] Not Found: /nulle-part/" in console.format(record)


def test_other_logs_say_no_address():
    record = logging.LogRecord("nc", logging.WARNING, __file__, 1, "bonjour", None, None)
    console = logging.getHandlerByName("console")
    assert console.filter(record)
    assert console.format(record) == "WARNING nc [-] bonjour"

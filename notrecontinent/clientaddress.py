"""The client's address: one answer for everything that needs to know who is asking.

View counting, the comment flood rule and the comments' and reports' stored address,
allauth's rate limits (accounts/adapter.py) and the logs all ask `client_address`.

Behind reverse proxies, REMOTE_ADDR is the nearest proxy. Each proxy appends the
address it received the request from to X-Forwarded-For, so with N proxies of our own
in front of the site (the TRUSTED_PROXY_COUNT setting), the N-th address from the
right is the one our outermost proxy saw: the client's. Whatever stands to its left
was written by the client or by proxies we do not run, and is never read: a client
cannot choose its address by sending the header itself.
"""

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest


def client_address(request) -> str | None:
    """The address of the client that sent `request`, in canonical form, or None."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if proxies else ""
    if forwarded:
        hops = forwarded.rsplit(",", proxies)
        # With fewer hops than proxies the request came in past the outer ones; the
        # leftmost hop was still written by one of ours.
        if address := normalise(hops[-min(proxies, len(hops))]):
            return address
    return normalise(request.META.get("REMOTE_ADDR", ""))


def normalise(value) -> str | None:
    """`value` as one IP address in canonical form, or None when it is not an address.

    Accepts what proxies write: an optional port (`203.0.113.7:51234`,
    `[2001:db8::1]:443`), IPv4 clients of an IPv6 socket (`::ffff:203.0.113.7`),
    upper-case IPv6; drops an IPv6 zone (`fe80::1%eth0`), meaningless off the host.
    """
    value = value.strip()
    if value.startswith("["):
        value, bracket, _port = value[1:].partition("]")
        if not bracket:
            return None
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        if address.scope_id:
            return str(ipaddress.IPv6Address(address.packed))
    return str(address)


def network(address) -> str | None:
    """The network a rule keyed on one client should count as one: the IPv4 address
    itself, or the /64 of an IPv6 address, since a single subscriber is given a whole
    /64 and can pick any address in it."""
    if address is None:
        return None
    ip = ipaddress.ip_address(address)
    if ip.version == 4:
        return str(ip)
    return str(ipaddress.IPv6Network((ip, 64), strict=False))


class ClientAddressFilter(logging.Filter):
    """Give each log record a `client_address` for the log format: the client's for a
    record about a request (django.request, django.security), "-" for any other."""

    def filter(self, record):
        request = getattr(record, "request", None)
        address = client_address(request) if isinstance(request, HttpRequest) else None
        record.client_address = address or "-"
        return True

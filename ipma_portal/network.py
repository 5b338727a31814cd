"""The client's real address behind reverse proxies, for rate limits and log lines.

Only the proxies named in ``settings.TRUSTED_PROXIES`` (addresses or networks) are believed. The
chain is read from the right: the peer that connected (REMOTE_ADDR), then each X-Forwarded-For
entry a trusted proxy appended; the first address that is not a trusted proxy is the client. What
lies to the left of it was written by the client and is ignored, so the header cannot be forged.
With no proxy configured the header is never read.
"""

import contextvars
import ipaddress
import logging
from collections.abc import Iterable, Sequence
from functools import cache

from django.conf import settings

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_client_address: contextvars.ContextVar[str] = contextvars.ContextVar("client_address", default="-")


@cache
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_networks() -> tuple[IPNetwork, ...]:
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def _trusted(address, networks: Iterable[IPNetwork]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(remote_addr: str, forwarded_for: str, networks: Sequence[IPNetwork]) -> str:
    """The address the last trusted proxy saw; ``remote_addr`` itself when the peer is not a trusted proxy."""
    peer = _address(remote_addr)
    if peer is None or not networks or not _trusted(peer, networks):
        return remote_addr
    hops = [hop for hop in forwarded_for.split(",") if hop.strip()]
    seen = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # A trusted proxy writes only addresses: garbage here came from the client, so the
            # nearest trusted proxy's own address is all that can be relied on.
            break
        seen = address
        if not _trusted(address, networks):
            break
    return str(seen)


def current_client_address() -> str:
    """The client address of the request being served ("-" outside a request, e.g. in Celery)."""
    return _client_address.get()


class ClientAddressMiddleware:
    """Put the real client address in REMOTE_ADDR, which django-ratelimit, allauth and the logs read.

    Placed first: everything after it (rate limits, the HTTPS redirect, the log filter) sees the
    client. X-Forwarded-Proto is dropped from requests that did not come through a trusted proxy,
    so nobody outside can claim HTTPS for a plain connection.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        networks = trusted_networks()
        if networks:
            peer = _address(request.META.get("REMOTE_ADDR", ""))
            if peer is None or not _trusted(peer, networks):
                request.META.pop("HTTP_X_FORWARDED_PROTO", None)
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), networks
            )
        token = _client_address.set(request.META.get("REMOTE_ADDR") or "-")
        try:
            return self.get_response(request)
        finally:
            _client_address.reset(token)


class ClientAddressLogFilter(logging.Filter):
    """Adds ``client_address`` to every log record (``-`` outside a request, e.g. in Celery)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "client_address"):
            record.client_address = _client_address.get()
        return True

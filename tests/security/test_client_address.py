"""Behind a trusted proxy the client is the address the proxy saw; the header is never believed otherwise."""

import ipaddress
import logging

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from ipma_portal.network import ClientAddressLogFilter, ClientAddressMiddleware, client_address
from tests.factories import PASSWORD, ApplicantFactory

PROXY = "10.0.0.2"
NETWORKS = (ipaddress.ip_network("10.0.0.2/32"),)


def _seen_by_view(settings, *, remote_addr: str, forwarded_for: str | None = None, trusted=(PROXY,)):
    settings.TRUSTED_PROXIES = list(trusted)
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        seen["proto"] = request.META.get("HTTP_X_FORWARDED_PROTO")
        return HttpResponse()

    headers = {"HTTP_X_FORWARDED_PROTO": "https"}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    ClientAddressMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers))
    return seen


def test_client_address_is_the_one_the_trusted_proxy_saw(settings):
    seen = _seen_by_view(settings, remote_addr=PROXY, forwarded_for="198.51.100.7")

    assert seen["address"] == "198.51.100.7"


def test_client_address_ignores_entries_the_client_forged_left_of_the_proxy(settings):
    seen = _seen_by_view(settings, remote_addr=PROXY, forwarded_for="1.2.3.4, 198.51.100.7")

    assert seen["address"] == "198.51.100.7"


def test_client_address_ignores_forwarded_for_from_an_untrusted_peer(settings):
    seen = _seen_by_view(settings, remote_addr="203.0.113.5", forwarded_for="1.2.3.4")

    assert seen["address"] == "203.0.113.5"


def test_client_address_ignores_forwarded_for_when_no_proxy_is_configured(settings):
    seen = _seen_by_view(settings, remote_addr=PROXY, forwarded_for="1.2.3.4", trusted=())

    assert seen["address"] == PROXY


def test_client_address_skips_every_trusted_hop_from_the_right():
    networks = (ipaddress.ip_network("10.0.0.0/24"),)

    assert client_address("10.0.0.2", "198.51.100.7, 10.0.0.9", networks) == "198.51.100.7"


def test_client_address_stops_at_garbage_written_left_of_the_trusted_proxy():
    assert client_address(PROXY, "not-an-address", NETWORKS) == PROXY


def test_forwarded_proto_from_an_untrusted_peer_is_dropped(settings):
    seen = _seen_by_view(settings, remote_addr="203.0.113.5")

    assert seen["proto"] is None


def test_forwarded_proto_from_the_trusted_proxy_is_kept(settings):
    seen = _seen_by_view(settings, remote_addr=PROXY, forwarded_for="198.51.100.7")

    assert seen["proto"] == "https"


def test_log_lines_carry_the_client_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    records = []

    def view(request):
        record = logging.LogRecord("portal", logging.INFO, __file__, 1, "hello", None, None)
        ClientAddressLogFilter().filter(record)
        records.append(record)
        return HttpResponse()

    ClientAddressMiddleware(view)(
        RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    )

    assert records[0].client_address == "198.51.100.7"


def _failed_login(client, *, user, address: str):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": "wrong-password"},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
def test_two_clients_behind_the_proxy_have_separate_login_rate_limits(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    cache.clear()
    user = ApplicantFactory()
    for _ in range(2):
        assert "Too many" not in _failed_login(client, user=user, address="198.51.100.7").content.decode()

    blocked = _failed_login(client, user=user, address="198.51.100.7")
    other = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.80",
    )

    assert "Too many failed login attempts" in blocked.content.decode()
    assert other.status_code == 302

"""Whose address a request comes from, behind the province's reverse proxies (sign-in lockout).

Each reverse proxy appends the address it received the request from to X-Forwarded-For, so behind
``REVERSE_PROXY_COUNT`` proxies the client is that many entries from the right; everything to its
left the client wrote itself and must never decide whom a lockout hits. This is the rule DRF's
throttling applies with ``NUM_PROXIES`` (set to the same count), so both name the same client.

django-ipware is not used for this: it counts only the proxies *listed* in the header (one fewer
than stand in front of the app), refuses or re-reads a chain with a client-written prefix, and its
parser lets an unclosed quote in the client's part swallow the entry the proxy appended.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR with no proxy, else the proxies' entry in X-Forwarded-For.

    A header with fewer entries than there are proxies did not pass through all of them (a request
    made to the app directly), and an entry that is not an address is not one a proxy wrote: both
    fall back to REMOTE_ADDR, which the client cannot choose.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.REVERSE_PROXY_COUNT
    if not proxies:
        return remote
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(entries) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-proxies].strip()))
    except ValueError:
        return remote

"""The address the login throttle counts failures against, behind the documented proxy.

Each proxy appends the address it received the request from to X-Forwarded-For, so with
ZIMAO_PROXY_COUNT trusted proxies the entry that many places from the right was written by our
own first proxy; everything left of it comes from the visitor and may be forged. Counting
failures per username *and* this address means a stranger's failures lock only the stranger.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address: REMOTE_ADDR without a proxy, else the entry our proxy added."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.PROXY_COUNT
    if not count:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))[:2000]
    entries = [entry.strip() for entry in header.split(",") if entry.strip()]
    if len(entries) < count:
        return remote  # the request did not come through all our proxies
    try:
        return str(ipaddress.ip_address(entries[-count]))
    except ValueError:
        return remote

"""A small fixed-window rate limiter in the shared cache (``CACHES``), per visitor address.

Used for the expensive public doors: search and suggestions (``heritage.middleware``) and
building an offline lesson pack (``views_lessons``). The shared cache makes the limit hold
across every web process. Counting is approximate at window edges, which is fine for
keeping one client from monopolising the server.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The visitor's address: REMOTE_ADDR, or the entry DSS_PROXY_COUNT proxies back in
    X-Forwarded-For when the site runs behind proxies."""
    proxies = settings.DSS_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def allow(bucket: str, request, per_minute: int) -> bool:
    """Count one request in ``bucket``; False once the address has used its minute."""
    if per_minute <= 0:
        return True
    window = int(time.time() // 60)
    key = f"dss:rate:{bucket}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count <= per_minute

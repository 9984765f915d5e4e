"""Helpers for tests of the JSON changes feed (``/api/v1/changes``)."""

from __future__ import annotations

import time

from django.utils import timezone


def settle() -> None:
    """Wait for the next whole second: the feed holds back the current one (see
    ``search/api/changes.py``), so what a test just changed is listed after it."""
    now = timezone.now()
    time.sleep(1.05 - now.microsecond / 1_000_000)


def pages(client, **params) -> list:
    """Every page of the feed from ``params``, following ``next``: [(query, response)]."""
    out = []
    query = dict(params)
    while True:
        response = client.get("/api/v1/changes", query)
        out.append((query, response))
        body = response.json() if response.status_code == 200 else {}
        if not body.get("next"):
            return out
        query = {
            "cursor": body["next"],
            **({"page_size": params["page_size"]} if "page_size" in params else {}),
        }

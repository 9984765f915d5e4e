"""Harvesting one peer over OAI-PMH or the JSON API's changes feed, incrementally and
safely.

Each page is applied in its own transaction together with the checkpoint (the next
resumption token or cursor, and where this run started), so a harvest that stops at any
point keeps every page it applied and a re-run resumes from the next page. A token or
cursor the peer no longer accepts restarts the list from where this run started: pages
already applied are applied again as updates, never as duplicates
(``apply.apply_records``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import PeerProtocol
from . import faults, fetch, json_feed
from .apply import Applied, apply_records
from .oai import format_datestamp, parse_page


@dataclass
class HarvestResult:
    peer: str
    applied: Applied = field(default_factory=Applied)
    pages: int = 0
    complete: bool = False
    error: str = ""

    def sentence(self) -> str:
        counts = _("%(created)d new, %(updated)d updated, %(deleted)d deleted") % {
            "created": self.applied.created,
            "updated": self.applied.updated,
            "deleted": self.applied.deleted,
        }
        if self.complete:
            return _("Harvest of %(peer)s complete: %(counts)s.") % {
                "peer": self.peer,
                "counts": counts,
            }
        return _("Harvest of %(peer)s stopped (%(counts)s so far): %(error)s") % {
            "peer": self.peer,
            "counts": counts,
            "error": self.error,
        }

    def as_dict(self) -> dict:
        return {
            "peer": self.peer,
            "complete": self.complete,
            "pages": self.pages,
            "created": self.applied.created,
            "updated": self.applied.updated,
            "deleted": self.applied.deleted,
            "error": self.error,
            "message": self.sentence(),
        }


def harvest(
    peer,
    *,
    set_spec: str | None = None,
    since: datetime | None = None,
    timeout: float = fetch.READ_TIMEOUT,
    max_bytes: int = fetch.MAX_BYTES,
) -> HarvestResult:
    """Harvest ``peer`` from its last successful point (or ``since``); never raises for
    a peer's fault: the result (and ``peer.last_error``) says what happened."""
    result = HarvestResult(peer=peer.label)
    peer.last_attempt_at = timezone.now()
    peer.save(update_fields=["last_attempt_at"])
    try:
        walk = _walk_json if peer.protocol == PeerProtocol.JSON_API else _walk
        walk(peer, result, set_spec, since, timeout, max_bytes)
    except faults.HarvestFault as fault:
        result.error = str(fault)
    peer.last_error = "" if result.complete else result.sentence()
    if result.complete:
        peer.last_success_at = timezone.now()
    peer.save(update_fields=["last_error", "last_success_at"])
    return result


def _start_params(peer, set_spec, since) -> tuple[dict, datetime | None]:
    start = since or peer.last_datestamp or peer.since
    params = {"verb": "ListRecords", "metadataPrefix": peer.protocol}
    if start is not None:
        params["from"] = format_datestamp(start)
    if set_spec or peer.set_spec:
        params["set"] = set_spec or peer.set_spec
    return params, start


def _walk(peer, result, set_spec, since, timeout, max_bytes) -> None:
    explicit = set_spec is not None or since is not None
    if peer.resumption_token and not explicit:
        params = {"verb": "ListRecords", "resumptionToken": peer.resumption_token}
        start = peer.pending_from
    else:
        params, start = _start_params(peer, set_spec, since)
    restarted = False
    while True:
        page = parse_page(fetch.get(peer.base_url, params, timeout=timeout, max_bytes=max_bytes))
        if page.error == "badResumptionToken":
            if restarted:
                raise faults.HarvestFault(faults.BAD_TOKEN_TWICE)
            restarted = True
            params, _start = _start_params(peer, set_spec, start)
            continue
        if page.error and page.error != "noRecordsMatch":
            raise faults.HarvestFault(
                faults.OAI_ERROR.format(code=page.error, detail=page.error_text[:120])
            )
        _apply_page(peer, result, page.items, page.token, start)
        if not page.token:
            result.complete = True
            return
        params = {"verb": "ListRecords", "resumptionToken": page.token}


def _apply_page(peer, result, items, token: str, start) -> None:
    """Apply one page and save the checkpoint with it, in one transaction."""
    with transaction.atomic():
        result.applied.add(apply_records(peer, items))
        newest = max((i.datestamp for i in items), default=None)
        if newest and (peer.last_datestamp is None or newest > peer.last_datestamp):
            peer.last_datestamp = newest
        peer.resumption_token = token
        peer.pending_from = start if token else None
        peer.save(update_fields=["last_datestamp", "resumption_token", "pending_from"])
    result.pages += 1


# The JSON API pages by a cursor; its ``since`` is exclusive (what changed after it).
JSON_PAGE_SIZE = 100


def _json_start(peer, since) -> datetime | None:
    """The exclusive ``since`` of a run: after the last datestamp applied, or one second
    before a date the officer gave (datestamps are whole seconds, so nothing of that
    second is left out)."""
    if since is not None:
        return since - timedelta(seconds=1)
    if peer.last_datestamp is not None:
        return peer.last_datestamp
    return peer.since - timedelta(seconds=1) if peer.since else None


def _json_first_page(start, set_spec) -> dict:
    params = {"page_size": JSON_PAGE_SIZE}
    if start is not None:
        params["since"] = json_feed.format_since(start)
    if set_spec:
        params["set"] = set_spec
    return params


def _walk_json(peer, result, set_spec, since, timeout, max_bytes) -> None:
    explicit = set_spec is not None or since is not None
    set_spec = set_spec or peer.set_spec
    if peer.resumption_token and not explicit:
        cursor, start = peer.resumption_token, peer.pending_from
        params = {"cursor": cursor, "page_size": JSON_PAGE_SIZE}
    else:
        start = _json_start(peer, since)
        params = _json_first_page(start, set_spec)
    url = json_feed.changes_url(peer.base_url)
    restarted = False
    seen = set()  # cursors followed in this run: a peer that sends one again loops
    while True:
        try:
            body = fetch.get(url, params, timeout=timeout, max_bytes=max_bytes)
        except faults.HarvestFault as fault:
            # A cursor the peer refuses (expired, or made with a key it has since
            # changed): start this run's list again, once.
            if "cursor" not in params or fault.status not in (400, 410):
                raise
            if restarted:
                raise faults.HarvestFault(faults.BAD_CURSOR_TWICE) from None
            restarted, seen = True, set()
            params = _json_first_page(start, set_spec)
            continue
        page = json_feed.parse_page(body)
        _apply_page(peer, result, page.items, page.next, start)
        if not page.next:
            result.complete = True
            return
        if page.next in seen:
            raise faults.HarvestFault(faults.CURSOR_LOOP)
        seen.add(page.next)
        params = {"cursor": page.next, "page_size": JSON_PAGE_SIZE}

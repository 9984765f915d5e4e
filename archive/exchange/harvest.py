"""Harvesting one peer over OAI-PMH, incrementally and safely.

Each page is applied in its own transaction together with the checkpoint (the next
resumption token and where this run started), so a harvest that stops at any point keeps
every page it applied and a re-run resumes from the next page. A token the peer no
longer accepts restarts the list from where this run started: pages already applied are
applied again as updates, never as duplicates (``apply.apply_records``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import PeerProtocol
from . import faults, fetch
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
        if peer.protocol == PeerProtocol.JSON_API:
            raise faults.HarvestFault(faults.JSON_NOT_SUPPORTED)
        _walk(peer, result, set_spec, since, timeout, max_bytes)
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
        with transaction.atomic():
            result.applied.add(apply_records(peer, page.items))
            newest = max((i.datestamp for i in page.items), default=None)
            if newest and (peer.last_datestamp is None or newest > peer.last_datestamp):
                peer.last_datestamp = newest
            peer.resumption_token = page.token
            peer.pending_from = start if page.token else None
            peer.save(update_fields=["last_datestamp", "resumption_token", "pending_from"])
        result.pages += 1
        if not page.token:
            result.complete = True
            return
        params = {"verb": "ListRecords", "resumptionToken": page.token}

"""Which peers are due for their scheduled harvest (the task worker's loop asks each
minute, heritage/tasks.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ..models import Peer


def claim_due_peers(now=None) -> list[int]:
    """The ids of enabled peers whose interval has passed since their last attempt, each
    marked as attempted now, so the next minute's loop does not book them again."""
    now = now or timezone.now()
    claimed = []
    for peer in Peer.objects.filter(enabled=True).only("pk", "interval_minutes", "last_attempt_at"):
        last = peer.last_attempt_at
        if last is not None and last + timedelta(minutes=peer.interval_minutes) > now:
            continue
        # A conditional update: of two loops running at once, one claims the peer.
        if Peer.objects.filter(pk=peer.pk, last_attempt_at=last).update(last_attempt_at=now):
            claimed.append(peer.pk)
    return claimed

"""The national role: what each peer has shared with us, per group and per province, and
when each last reported (plain Python for the admin view and any report)."""

from __future__ import annotations

from django.db.models import Count

from ..models import HarvestedRecord, Peer


def coverage() -> dict:
    peers = list(Peer.objects.annotate(held=Count("records")).order_by("label"))
    held = HarvestedRecord.objects.all()
    by_group = (
        held.values("peer__label", "record__ethnic_groups__name_vi")
        .annotate(n=Count("record", distinct=True))
        .order_by("peer__label", "record__ethnic_groups__name_vi")
    )
    by_province = (
        held.values("peer__label", "record__provinces__name")
        .annotate(n=Count("record", distinct=True))
        .order_by("peer__label", "record__provinces__name")
    )
    return {
        "peers": peers,
        "by_group": [
            (row["peer__label"], row["record__ethnic_groups__name_vi"] or "—", row["n"])
            for row in by_group
        ],
        "by_province": [
            (row["peer__label"], row["record__provinces__name"] or "—", row["n"])
            for row in by_province
        ],
    }

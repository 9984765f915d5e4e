"""The coverage dashboard's figures, as plain Python the admin view and its CSV both call.

Which records are counted: those the officer may see through the access gate
(``archive.access``) plus those they may edit (``archive.permissions``; drafts included),
so a board member's totals never include records hidden from them, and a provincial
officer's work in progress counts in their own figures. Counts only: no title leaves here.

Records placed in a former province are counted under the current unit that absorbed it,
as the public province pages do (``queries.records_in_province_q``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from ..models import (
    AccessRequest,
    CustomPage,
    EthnicGroup,
    FestivalPage,
    FormerProvince,
    Province,
    RecordingPage,
    RecordPage,
)
from ..permissions import editable_records

# Kinh, the majority group (GSO code 01 in archive/reference/ethnic_groups.csv); the other
# 53 groups are the minorities the archive exists for.
MAJORITY_CODE = "01"
TIMED_KINDS = ("audio", "video")


@dataclass
class Bar:
    key: str
    label: str
    records: int = 0
    hours: float = 0.0


@dataclass
class Coverage:
    total_records: int = 0
    total_hours: float = 0.0
    by_group: list[Bar] = field(default_factory=list)
    by_province: list[Bar] = field(default_factory=list)
    minorities: int = 0
    without_recording: list[str] = field(default_factory=list)
    without_festival_or_custom: list[str] = field(default_factory=list)
    translation: dict[str, int] = field(default_factory=dict)
    media_states: dict[str, int] = field(default_factory=dict)
    job_states: dict[str, int] = field(default_factory=dict)
    fixity: dict[str, int] = field(default_factory=dict)
    last_fixity_check: object = None
    storage: dict[str, int] = field(default_factory=dict)
    pending_reviews: int = 0
    pending_access_requests: int = 0


def records_in_scope(user):
    """The records ``user``'s figures count (see the module doc)."""
    visible = RecordPage.objects.visible_to(user).values("pk")
    editable = editable_records(user).values("pk")
    return RecordPage.objects.filter(Q(pk__in=visible) | Q(pk__in=editable))


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def _timed_media(record_ids) -> dict[int, dict[int, float]]:
    """record id → {asset id: seconds} for the audio and video linked to these records."""
    from media_pipeline.models import RecordMedia

    media: dict[int, dict[int, float]] = defaultdict(dict)
    links = RecordMedia.objects.filter(
        record_id__in=record_ids, asset__type__in=TIMED_KINDS
    ).values_list("record_id", "asset_id", "asset__duration")
    for record_id, asset_id, seconds in links:
        media[record_id][asset_id] = seconds or 0.0
    return media


def _bars(items, members: dict[int, set[int]], media) -> list[Bar]:
    """One bar per item: distinct records, and hours of distinct assets (a recording
    linked to two records of the same group counts once)."""
    bars = []
    for key, label, item_id in items:
        record_ids = members.get(item_id, set())
        assets: dict[int, float] = {}
        for record_id in record_ids:
            assets.update(media.get(record_id, {}))
        bars.append(Bar(key, label, len(record_ids), _hours(sum(assets.values()))))
    return bars


def _group_members(record_ids) -> dict[int, set[int]]:
    through = RecordPage.ethnic_groups.through.objects.filter(recordpage_id__in=record_ids)
    members: dict[int, set[int]] = defaultdict(set)
    for record_id, group_id in through.values_list("recordpage_id", "ethnicgroup_id"):
        members[group_id].add(record_id)
    return members


def _province_members(record_ids) -> dict[int, set[int]]:
    members: dict[int, set[int]] = defaultdict(set)
    direct = RecordPage.provinces.through.objects.filter(recordpage_id__in=record_ids)
    for record_id, province_id in direct.values_list("recordpage_id", "province_id"):
        members[province_id].add(record_id)
    successor = dict(FormerProvince.objects.values_list("pk", "successor_id"))
    former = RecordPage.former_provinces.through.objects.filter(recordpage_id__in=record_ids)
    for record_id, former_id in former.values_list("recordpage_id", "formerprovince_id"):
        if successor.get(former_id):
            members[successor[former_id]].add(record_id)
    return members


def _typed(model, record_ids) -> set[int]:
    return set(model.objects.filter(pk__in=record_ids).values_list("pk", flat=True))


def _media_figures(coverage: Coverage) -> None:
    from media_pipeline.models import (
        DerivativeFile,
        EventType,
        MediaAsset,
        PreservationEvent,
        ProcessingJob,
    )

    coverage.media_states = dict(
        MediaAsset.objects.values_list("state").annotate(n=Count("pk")).order_by("state")
    )
    coverage.job_states = dict(
        ProcessingJob.objects.values_list("state").annotate(n=Count("pk")).order_by("state")
    )
    # Fixity: the latest check of each original decides its status.
    latest: dict[int, str] = {}
    checks = PreservationEvent.objects.filter(event_type=EventType.FIXITY, asset__isnull=False)
    for asset_id, outcome in checks.order_by("created_at", "pk").values_list("asset_id", "outcome"):
        latest[asset_id] = outcome
    originals = MediaAsset.objects.exclude(sha256="").count()
    fixity = {"ok": 0, "changed": 0, "missing": 0}
    for outcome in latest.values():
        fixity[outcome] = fixity.get(outcome, 0) + 1
    fixity["never_checked"] = max(originals - len(latest), 0)
    coverage.fixity = fixity
    last = checks.order_by("-created_at").values_list("created_at", flat=True).first()
    coverage.last_fixity_check = last
    coverage.storage = {
        "originals": MediaAsset.objects.aggregate(n=Sum("size"))["n"] or 0,
        "web_copies": DerivativeFile.objects.aggregate(n=Sum("size"))["n"] or 0,
        **_library_bytes(),
    }


def _library_bytes() -> dict[str, int]:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    return {
        "images": get_image_model().objects.aggregate(n=Sum("file_size"))["n"] or 0,
        "documents": get_document_model().objects.aggregate(n=Sum("file_size"))["n"] or 0,
    }


def _pending_reviews(record_ids: set[int]) -> int:
    from wagtail.models import WorkflowState

    in_review = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
    return sum(
        1
        for object_id in in_review.values_list("object_id", flat=True)
        if object_id.isdigit() and int(object_id) in record_ids
    )


def coverage_for(user) -> Coverage:
    """Every figure of the dashboard, for what ``user`` may see or edit."""
    scope = records_in_scope(user).values("pk")  # a subquery: no long lists of ids
    record_ids = set(scope.values_list("pk", flat=True))
    media = _timed_media(scope)
    coverage = Coverage(total_records=len(record_ids))
    coverage.total_hours = _hours(sum(_distinct_assets(media).values()))
    groups = list(EthnicGroup.objects.order_by("code"))
    group_members = _group_members(scope)
    coverage.by_group = _bars(((g.code, g.name, g.pk) for g in groups), group_members, media)
    coverage.by_province = _bars(
        ((p.code, p.name, p.pk) for p in Province.objects.order_by("name")),
        _province_members(scope),
        media,
    )
    minorities = [g for g in groups if g.code != MAJORITY_CODE]
    coverage.minorities = len(minorities)
    recordings = _typed(RecordingPage, scope)
    stories = _typed(FestivalPage, scope) | _typed(CustomPage, scope)
    coverage.without_recording = [
        g.name for g in minorities if not group_members.get(g.pk, set()) & recordings
    ]
    coverage.without_festival_or_custom = [
        g.name for g in minorities if not group_members.get(g.pk, set()) & stories
    ]
    coverage.translation = _translation(scope)
    _media_figures(coverage)
    coverage.pending_reviews = _pending_reviews(record_ids)
    coverage.pending_access_requests = AccessRequest.objects.filter(
        record_id__in=scope, status="pending"
    ).count()
    return coverage


def _distinct_assets(media) -> dict[int, float]:
    assets: dict[int, float] = {}
    for per_record in media.values():
        assets.update(per_record)
    return assets


def _translation(record_ids) -> dict[str, int]:
    """Vietnamese-only: no English title and no English summary; partly: one of the two."""
    counts = {"translated": 0, "partly": 0, "vietnamese_only": 0}
    rows = RecordPage.objects.filter(pk__in=record_ids).values_list("title_en", "summary_en")
    for title_en, summary_en in rows:
        done = bool((title_en or "").strip()) + bool((summary_en or "").strip())
        counts[("vietnamese_only", "partly", "translated")[done]] += 1
    return counts

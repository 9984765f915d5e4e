"""Ingest: one code path for the admin upload and the ``ingest`` command.

The file is streamed into the write-once store by ``OriginalsStorage`` (so both paths go
through it), then ``finalize_upload`` checks for duplicates, sniffs and probes the content,
records the ingest event and queues processing. A bad file is kept, quarantined, and
explained; it never blocks other work.
"""

from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.db import transaction

from ..core.errors import MediaError
from ..core.filenames import clean_filename
from ..core.process import inspect_media
from ..messages import sentence_for
from ..models import AssetState, EventType, MediaAsset, RecordMedia
from ..storage import local_original
from .events import record_event
from .runner import default_runner


@dataclass
class IngestResult:
    file: str
    asset: MediaAsset | None
    status: str  # queued | duplicate | failed
    error: str | None = None
    duplicate_of: MediaAsset | None = None


def ingest_file(fileobj, original_name: str, *, user=None, record=None, title="") -> IngestResult:
    filename = clean_filename(original_name)
    asset = MediaAsset(
        title=(title or Path(filename).stem or "untitled")[:255],
        original_filename=filename,
        uploaded_by_user=user,
        type="audio",
    )
    try:
        asset.file.save(filename or "upload", File(fileobj), save=False)
    except MediaError as exc:
        return IngestResult(original_name, None, "failed", error=sentence_for(exc.code))
    return finalize_upload(asset, record=record, original_name=original_name)


def _link(asset: MediaAsset, record) -> None:
    if record is not None and not RecordMedia.objects.filter(record=record, asset=asset).exists():
        RecordMedia.objects.create(
            record=record, asset=asset, sort_order=record.media_links.count()
        )


def finalize_upload(asset: MediaAsset, *, record=None, original_name="") -> IngestResult:
    """Second half of ingest, after the bytes are in the store (admin or command)."""
    name = original_name or asset.original_filename
    stored_name = asset.file.name
    sha256 = Path(stored_name).stem
    existing = MediaAsset.objects.filter(sha256=sha256).exclude(pk=asset.pk).first()
    if existing is not None:
        if asset.pk:
            asset.delete()  # the row only: the stored original belongs to `existing`
        _link(existing, record)
        return IngestResult(name, existing, "duplicate", duplicate_of=existing)

    asset.sha256 = sha256
    asset.size = asset.file.size
    if not asset.original_filename:
        asset.original_filename = clean_filename(name)
    try:
        with local_original(stored_name) as original:
            inspection = inspect_media(original, default_runner())
    except MediaError as exc:
        asset.state = AssetState.QUARANTINED
        asset.error_code, asset.error_detail = exc.code, exc.detail
        asset.type = asset.type or "audio"
        with transaction.atomic():
            asset.save()
            record_event(asset, EventType.INGEST, "failure", exc.detail, run=exc.record)
            _link(asset, record)
        return IngestResult(name, asset, "failed", error=sentence_for(exc.code))

    sniffed, probe = inspection.sniffed, inspection.probe
    asset.type = inspection.kind
    asset.mime = sniffed.mime
    asset.container = sniffed.container
    if probe is not None:
        asset.probe = probe_summary(probe)
        asset.duration = probe.duration_s or 0
        video = probe.video
        if video is not None:
            asset.width, asset.height = video.display_size
    asset.state = AssetState.QUEUED
    with transaction.atomic():
        asset.save()
        record_event(asset, EventType.INGEST, "success", f"sha256 {sha256}", tool="sha256")
        _link(asset, record)
        from ..tasks import enqueue_processing

        transaction.on_commit(lambda: enqueue_processing(asset.pk))
    return IngestResult(name, asset, "queued")


def probe_summary(probe) -> dict:
    """The probe as JSON for the admin and for later re-planning without re-probing."""
    from dataclasses import asdict

    data = asdict(probe)

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, int | float | str | bool) or value is None:
            return value
        return str(value)

    return plain(data)

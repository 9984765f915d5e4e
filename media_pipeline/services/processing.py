"""Run the media core for one asset, idempotently, with a lease so a dead worker's job is
taken over, and retries only for transient failures."""

import hashlib
import logging
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..access import restricted_segments
from ..core.errors import MediaError
from ..core.plan import plan_derivatives
from ..core.process import inspect_media, process_media
from ..core.segments import make_restricted_variants
from ..models import AssetState, DerivativeFile, EventType, MediaAsset, ProcessingJob
from ..storage import derivatives_workspace, local_original, publish_derivatives
from .events import record_event
from .runner import default_runner

log = logging.getLogger(__name__)


class Outcome:
    DONE = "done"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"


def plan_key(kind: str, probe) -> str:
    """Identifies the preset versions an asset's derivatives are made with."""
    keys = sorted(f"{s.name}:{s.preset_key}" for s in plan_derivatives(kind, probe))
    return hashlib.sha256("|".join(keys).encode()).hexdigest()[:32]


def _lease_delta() -> timedelta:
    return timedelta(seconds=settings.DSS_MEDIA_LEASE_SECONDS)


def claim_job(asset: MediaAsset, key: str) -> ProcessingJob | None:
    """Take the job for (asset, key) unless it is done or another live worker holds it."""
    with transaction.atomic():
        job, _ = ProcessingJob.objects.get_or_create(asset=asset, plan_key=key)
        job = ProcessingJob.objects.select_for_update().get(pk=job.pk)
        now = timezone.now()
        if job.state == ProcessingJob.State.DONE:
            return None
        if job.state == ProcessingJob.State.RUNNING and job.lease_until and job.lease_until > now:
            return None
        job.state = ProcessingJob.State.RUNNING
        job.attempts += 1
        job.lease_until = now + _lease_delta()
        job.progress = 0
        job.save()
    MediaAsset.objects.filter(pk=asset.pk).update(state=AssetState.RUNNING, progress=0)
    return job


def _progress_saver(job: ProcessingJob):
    """Write progress at most once a second, renewing the lease as the work goes on."""
    last = [0.0]

    def save(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] < 1.0 and fraction < 1.0:
            return
        last[0] = now
        ProcessingJob.objects.filter(pk=job.pk).update(
            progress=fraction, lease_until=timezone.now() + _lease_delta()
        )
        MediaAsset.objects.filter(pk=job.asset_id).update(progress=fraction)

    return save


def process_asset(asset_id: int, *, runner=None) -> str:
    runner = runner or default_runner()
    asset = MediaAsset.objects.filter(pk=asset_id).first()
    if asset is None or asset.state == AssetState.QUARANTINED:
        return Outcome.SKIPPED
    # The core works on local paths: with a bucket, these are scratch copies (storage.py).
    with local_original(asset.file.name) as original, derivatives_workspace() as root:
        return _process(asset, original, root, runner)


def _process(asset: MediaAsset, original: Path, root: Path, runner) -> str:
    try:
        inspection = inspect_media(original, runner)
    except MediaError as exc:
        _fail(asset, None, exc, quarantine=exc.permanent)
        return Outcome.FAILED
    key = plan_key(inspection.kind, inspection.probe)
    # Restricted segments are part of what is made: changing them means a new job.
    restricted = restricted_segments(asset) if inspection.kind in ("audio", "video") else []
    if restricted:
        key = hashlib.sha256(f"{key}|{sorted(restricted)!r}".encode()).hexdigest()[:32]
    job = claim_job(asset, key)
    if job is None:
        return Outcome.SKIPPED
    out_dir = root / asset.sha256[:2] / asset.sha256 / key[:12]
    out_dir.mkdir(parents=True, exist_ok=True)
    # We hold the lease, so any temp file here was left by a worker that died mid-run.
    for leftover in out_dir.glob(".tmp-*"):
        leftover.unlink(missing_ok=True)
    try:
        result = process_media(
            original,
            inspection.sniffed,
            inspection.probe,
            out_dir,
            runner,
            on_progress=_progress_saver(job),
        )
        if restricted:
            variants, runs = make_restricted_variants(
                result.derivatives,
                restricted,
                str(out_dir),
                runner,
                has_video=inspection.kind == "video",
            )
            result.derivatives.extend(variants)
            result.runs.extend(runs)
    except MediaError as exc:
        if not exc.permanent and job.attempts < settings.DSS_MEDIA_MAX_ATTEMPTS:
            ProcessingJob.objects.filter(pk=job.pk).update(
                state=ProcessingJob.State.QUEUED,
                error_code=exc.code,
                error_detail=exc.detail,
                lease_until=None,
            )
            MediaAsset.objects.filter(pk=asset.pk).update(state=AssetState.QUEUED)
            from ..tasks import enqueue_processing

            enqueue_processing(asset.pk, delay_s=30 * 2 ** (job.attempts - 1))
            return Outcome.RETRY
        _fail(asset, job, exc, quarantine=exc.permanent)
        return Outcome.FAILED
    publish_derivatives(root, [made.path for made in result.derivatives])
    _register(asset, job, result, root)
    return Outcome.DONE


def _register(asset, job, result, root: Path) -> None:
    with transaction.atomic():
        names = []
        for made in result.derivatives:
            names.append(made.name)
            DerivativeFile.objects.update_or_create(
                asset=asset,
                name=made.name,
                defaults={
                    "path": str(Path(made.path).relative_to(root)),
                    "mime": made.mime,
                    "width": made.width,
                    "height": made.height,
                    "bitrate": made.bitrate,
                    "size": made.size,
                    "duration_s": made.duration_s,
                    "preset_key": made.preset_key,
                    "stale": False,
                },
            )
        # Outputs of an older preset set that this plan no longer makes are dropped.
        asset.derivatives.exclude(name__in=names).delete()
        for run in result.runs:
            record_event(asset, EventType.DERIVATIVE, "success", " ".join(names), run=run)
        job.state = ProcessingJob.State.DONE
        job.progress = 1
        job.lease_until = None
        job.error_code = job.error_detail = ""
        job.save()
        MediaAsset.objects.filter(pk=asset.pk).update(
            state=AssetState.DONE, progress=1, error_code="", error_detail=""
        )
        from ..signal_handlers import announce_records_of

        announce_records_of(asset.pk)


def _fail(asset, job, exc: MediaError, *, quarantine: bool) -> None:
    with transaction.atomic():
        if job is not None:
            ProcessingJob.objects.filter(pk=job.pk).update(
                state=ProcessingJob.State.FAILED,
                error_code=exc.code,
                error_detail=exc.detail,
                lease_until=None,
            )
        MediaAsset.objects.filter(pk=asset.pk).update(
            state=AssetState.QUARANTINED if quarantine else AssetState.FAILED,
            error_code=exc.code,
            error_detail=exc.detail,
        )
        record_event(asset, EventType.PROCESSING_FAILED, "failure", exc.detail, run=exc.record)


def requeue_abandoned(now=None) -> list[int]:
    """Jobs whose worker died (lease expired while running) go back to the queue."""
    now = now or timezone.now()
    stale = list(
        ProcessingJob.objects.filter(
            state=ProcessingJob.State.RUNNING, lease_until__lt=now
        ).values_list("asset_id", flat=True)
    )
    queued_assets = list(
        MediaAsset.objects.filter(state=AssetState.QUEUED, jobs__isnull=True).values_list(
            "pk", flat=True
        )
    )
    from ..tasks import enqueue_processing

    for asset_id in dict.fromkeys(stale + queued_assets):
        enqueue_processing(asset_id)
    return stale


def retry(asset: MediaAsset) -> None:
    """An officer's "process again": forget the jobs and queue again (quarantine included).
    Derivatives are replaced by name, so a finished asset still ends with one set."""
    with transaction.atomic():
        asset.jobs.all().delete()
        MediaAsset.objects.filter(pk=asset.pk).update(
            state=AssetState.QUEUED, error_code="", error_detail="", progress=0
        )
        from ..tasks import enqueue_processing

        transaction.on_commit(lambda: enqueue_processing(asset.pk))


def restrictions_changed(asset_id: int) -> None:
    """An asset's restricted segments changed: its restricted variants are withdrawn at once
    (the door then refuses them: fail closed) and the asset is processed again, which makes
    them anew for the new ranges, or not at all when none are left."""
    from ..core.segments import SUFFIX
    from ..tasks import enqueue_processing

    with transaction.atomic():
        DerivativeFile.objects.filter(asset_id=asset_id, name__endswith=SUFFIX).delete()
        ProcessingJob.objects.filter(asset_id=asset_id).delete()
        transaction.on_commit(lambda: enqueue_processing(asset_id))


def _current_key_for(derivative_name: str, specs) -> str | None:
    """The spec that makes a derivative: same name, or the longest name it starts with
    (``thumbs`` makes ``thumbs_vtt``; ``image`` makes ``image_webp_480``)."""
    matches = [s for s in specs if derivative_name == s.name or derivative_name.startswith(s.name)]
    return max(matches, key=lambda s: len(s.name)).preset_key if matches else None


def mark_stale(runner=None) -> list[int]:
    """Flag derivatives made with a preset that has since changed; returns their asset ids."""
    runner = runner or default_runner()
    affected = []
    for asset in MediaAsset.objects.filter(state=AssetState.DONE).prefetch_related("derivatives"):
        try:
            with local_original(asset.file.name) as original:
                inspection = inspect_media(original, runner)
        except MediaError:
            continue  # fixity_audit reports damaged originals; nothing to regenerate from
        specs = plan_derivatives(inspection.kind, inspection.probe)
        stale = [
            d.pk for d in asset.derivatives.all() if _current_key_for(d.name, specs) != d.preset_key
        ]
        if stale:
            DerivativeFile.objects.filter(pk__in=stale).update(stale=True)
            affected.append(asset.pk)
    return affected


def regenerate_stale(runner=None) -> list[int]:
    """Mark stale derivatives and queue their assets; a new plan key means a new job."""
    from ..tasks import enqueue_processing

    affected = mark_stale(runner)
    for asset_id in affected:
        enqueue_processing(asset_id)
    return affected

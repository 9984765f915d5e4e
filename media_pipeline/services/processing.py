"""Run the media core for one asset, idempotently: under a fenced lease (``leases.py``) so a
dead worker's job is taken over and a resumed one writes nothing, in a folder of the claim's
own whose files reach their final names only in the commit, and with retries after a
backoff for passing failures only (``sweep.py`` brings back what a dead worker held)."""

import dataclasses
import hashlib
import logging
import os
import shutil
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..access import restricted_segments
from ..core.errors import MediaError
from ..core.plan import plan_derivatives
from ..core.process import inspect_media, process_media
from ..core.segments import make_restricted_variants
from ..models import AssetState, DerivativeFile, EventType, MediaAsset, ProcessingJob
from ..storage import derivatives_workspace, local_original, publish_derivatives
from .events import record_event
from .leases import claim_job, held, keep_lease, renew
from .runner import default_runner

log = logging.getLogger(__name__)


class Outcome:
    DONE = "done"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"
    # The lease was taken over (this worker was paused or cut off past it): nothing written.
    SUPERSEDED = "superseded"


# The error code of a job that failed DSS_MEDIA_MAX_ATTEMPTS times (messages.py explains it).
GAVE_UP = "gave_up"


def plan_key(kind: str, probe) -> str:
    """Identifies the preset versions an asset's derivatives are made with."""
    keys = sorted(f"{s.name}:{s.preset_key}" for s in plan_derivatives(kind, probe))
    return hashlib.sha256("|".join(keys).encode()).hexdigest()[:32]


def _progress_saver(job: ProcessingJob):
    """Write progress at most once a second (renewing the lease, fenced like every write)."""
    last = [0.0]

    def save(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] < 1.0 and fraction < 1.0:
            return
        last[0] = now
        if renew(job, progress=fraction):
            MediaAsset.objects.filter(pk=job.asset_id).update(progress=fraction)

    return save


def retry_delay(attempts: int) -> timedelta:
    """Backoff before the next try: DSS_MEDIA_RETRY_SECONDS, doubled after each failure."""
    return timedelta(seconds=settings.DSS_MEDIA_RETRY_SECONDS * 2 ** max(0, attempts - 1))


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
        return _fail(asset, None, exc.code, exc.detail, exc.record, quarantine=exc.permanent)
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
    # We hold the lease, so anything temporary here was left by a worker that died (or was
    # taken over) mid-run: its partial files and its private folder go.
    for leftover in out_dir.glob(".tmp-*"):
        _remove(leftover)
    # The core writes into a folder of this claim's own; only a fenced commit moves the
    # files to their final names, so a zombie never replaces its successor's files.
    staging = out_dir / f".tmp-claim-{job.attempts}"
    staging.mkdir()
    try:
        with keep_lease(job):
            result = _make(inspection, original, staging, runner, restricted, job)
    except MediaError as exc:
        _remove(staging)
        return _after_failure(asset, job, exc)
    try:
        return _commit(asset, job, result, out_dir, root)
    finally:
        _remove(staging)


def _make(inspection, original: Path, staging: Path, runner, restricted, job):
    result = process_media(
        original,
        inspection.sniffed,
        inspection.probe,
        staging,
        runner,
        on_progress=_progress_saver(job),
    )
    if restricted:
        variants, runs = make_restricted_variants(
            result.derivatives,
            restricted,
            str(staging),
            runner,
            has_video=inspection.kind == "video",
        )
        result.derivatives.extend(variants)
        result.runs.extend(runs)
    return result


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _after_failure(asset, job, exc: MediaError) -> str:
    """A passing failure waits (backoff) and runs again, up to DSS_MEDIA_MAX_ATTEMPTS
    claims; then, like a permanent one, it fails with a sentence saying so."""
    if exc.permanent:
        return _fail(asset, job, exc.code, exc.detail, exc.record, quarantine=True)
    if job.attempts >= settings.DSS_MEDIA_MAX_ATTEMPTS:
        detail = f"{exc.code} after {job.attempts} attempts: {exc.detail}"
        return _fail(asset, job, GAVE_UP, detail, exc.record, quarantine=False)
    retry_at = timezone.now() + retry_delay(job.attempts)
    with transaction.atomic():
        if not held(job).update(
            state=ProcessingJob.State.QUEUED,
            error_code=exc.code,
            error_detail=exc.detail,
            lease_until=None,
            retry_at=retry_at,
        ):
            return Outcome.SUPERSEDED
        MediaAsset.objects.filter(pk=asset.pk).update(state=AssetState.QUEUED)
    from ..tasks import enqueue_processing

    # Without a queue that can defer (tests run tasks inline), the sweep queues it once
    # retry_at has passed.
    enqueue_processing(asset.pk, run_after=retry_at)
    return Outcome.RETRY


def _commit(asset, job, result, out_dir: Path, root: Path) -> str:
    """Move the claim's files to their final names and register them, once: under the lock
    of the job's row, and only while this claim still holds it."""
    with transaction.atomic():
        if held(job).select_for_update().first() is None:
            return Outcome.SUPERSEDED
        made = [_move_into(d, out_dir) for d in result.derivatives]
        publish_derivatives(root, [d.path for d in made])
        _register(asset, job, made, result.runs, root)
    return Outcome.DONE


def _move_into(made, out_dir: Path):
    final = out_dir / Path(made.path).name
    os.replace(made.path, final)  # atomic; a rerun after a crash replaces it the same way
    return dataclasses.replace(made, path=str(final))


def _register(asset, job, derivatives, runs, root: Path) -> None:
    names = []
    for made in derivatives:
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
    for run in runs:
        record_event(asset, EventType.DERIVATIVE, "success", " ".join(names), run=run)
    held(job).update(
        state=ProcessingJob.State.DONE,
        progress=1,
        lease_until=None,
        error_code="",
        error_detail="",
        completions=F("completions") + 1,
    )
    MediaAsset.objects.filter(pk=asset.pk).update(
        state=AssetState.DONE, progress=1, error_code="", error_detail=""
    )
    from ..signal_handlers import announce_records_of

    announce_records_of(asset.pk)


def give_up(job: ProcessingJob, detail: str) -> str:
    """Fail a job for good that used up its attempts (the sweep's verdict on a file whose
    worker died every time: too large for this server, or crashing a tool)."""
    asset = MediaAsset.objects.get(pk=job.asset_id)
    return _fail(asset, job, GAVE_UP, detail, quarantine=False)


def _fail(asset, job, code: str, detail: str, run=None, *, quarantine: bool) -> str:
    """Record a failure for good; a claim that was taken over records nothing."""
    with transaction.atomic():
        if job is not None and not held(job).update(
            state=ProcessingJob.State.FAILED,
            error_code=code,
            error_detail=detail,
            lease_until=None,
        ):
            return Outcome.SUPERSEDED
        MediaAsset.objects.filter(pk=asset.pk).update(
            state=AssetState.QUARANTINED if quarantine else AssetState.FAILED,
            error_code=code,
            error_detail=detail,
        )
        record_event(asset, EventType.PROCESSING_FAILED, "failure", detail, run=run)
    return Outcome.FAILED


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

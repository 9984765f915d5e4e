"""On a queue that cannot defer (tasks run inline, as in these tests and in small set-ups),
a retry is not dropped: the lease sweep runs it once its time has come, and not before."""

from datetime import timedelta

import pytest
from django.utils import timezone

from media_pipeline.core.runner import RunLimits, Runner
from media_pipeline.models import AssetState, ProcessingJob
from media_pipeline.services.ingest import ingest_file
from media_pipeline.services.processing import Outcome, process_asset
from media_pipeline.services.sweep import requeue_abandoned
from tests.support import media_samples

pytestmark = pytest.mark.django_db


def test_the_sweep_runs_a_retry_when_its_time_has_come(samples):
    video = media_samples.video(samples, "lễ hội.mp4", size="1280x720", duration=6)
    with open(video, "rb") as handle:  # queued on commit, which this test never reaches
        asset = ingest_file(handle, video.name).asset

    # 6 s of 720p cannot be made within 1 s: a passing failure (timeout).
    hurried = Runner(limits=RunLimits(timeout_s=1))
    assert process_asset(asset.pk, runner=hurried) == Outcome.RETRY
    job = ProcessingJob.objects.get(asset=asset)
    assert (job.state, job.attempts, job.error_code) == ("queued", 1, "timeout")
    assert job.retry_at > timezone.now() + timedelta(seconds=20)  # 30 s, the first backoff

    # Before its time: the sweep leaves it, and a task that arrives anyway is refused.
    requeue_abandoned()
    assert process_asset(asset.pk) == Outcome.SKIPPED
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("queued", 1)

    # Its time comes: the sweep queues it, the inline queue runs it, once.
    ProcessingJob.objects.filter(pk=job.pk).update(retry_at=timezone.now() - timedelta(seconds=1))
    requeue_abandoned()
    job.refresh_from_db()
    asset.refresh_from_db()
    assert (job.state, job.attempts, job.completions) == ("done", 2, 1)
    assert asset.state == AssetState.DONE
    assert {"video_360p", "video_720p", "poster"} <= {d.name for d in asset.derivatives.all()}

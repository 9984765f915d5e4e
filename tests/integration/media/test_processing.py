"""Jobs: idempotent, take over dead workers' leases, regenerate after preset changes."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from media_pipeline.core import presets
from media_pipeline.models import AssetState, DerivativeFile, ProcessingJob
from media_pipeline.services.processing import (
    Outcome,
    mark_stale,
    process_asset,
    regenerate_stale,
)
from media_pipeline.services.sweep import requeue_abandoned
from media_pipeline.storage import derivatives_root

pytestmark = pytest.mark.django_db


@pytest.fixture
def asset(tone, ingest):
    return ingest(tone).asset


def derivative_files():
    return sorted(p.name for p in derivatives_root().rglob("*") if p.is_file())


def test_processing_twice_leaves_one_set_of_derivatives(asset):
    asset.refresh_from_db()
    assert asset.state == AssetState.DONE
    files_before = derivative_files()
    rows_before = list(DerivativeFile.objects.values_list("name", "path"))
    assert process_asset(asset.pk) == Outcome.SKIPPED  # the job for this plan is done
    assert derivative_files() == files_before
    assert list(DerivativeFile.objects.values_list("name", "path")) == rows_before
    assert ProcessingJob.objects.filter(asset=asset).count() == 1


def test_job_of_a_dead_worker_is_taken_over_after_its_lease(asset):
    job = ProcessingJob.objects.get(asset=asset)
    job.state = ProcessingJob.State.RUNNING
    job.lease_until = timezone.now() + timedelta(minutes=5)
    job.save()
    DerivativeFile.objects.filter(asset=asset).delete()
    assert process_asset(asset.pk) == Outcome.SKIPPED  # a live lease is respected
    ProcessingJob.objects.filter(pk=job.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert requeue_abandoned() == [asset.pk]  # the test backend runs the queued job at once
    job.refresh_from_db()
    assert job.state == ProcessingJob.State.DONE and job.attempts == 2
    assert set(DerivativeFile.objects.values_list("name", flat=True)) >= {"audio_aac", "audio_opus"}


def test_partial_temp_files_of_a_killed_run_are_cleared(asset):
    out_dir = (derivatives_root() / DerivativeFile.objects.filter(asset=asset).first().path).parent
    (out_dir / ".tmp-audio_aac-deadbeef.m4a").write_bytes(b"half a file")
    ProcessingJob.objects.filter(asset=asset).update(
        state=ProcessingJob.State.RUNNING, lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert process_asset(asset.pk) == Outcome.DONE
    assert not list(out_dir.glob(".tmp-*"))


def test_changed_preset_marks_only_its_derivatives_stale_and_regenerates(asset, monkeypatch):
    old = dict(DerivativeFile.objects.values_list("name", "preset_key"))
    monkeypatch.setattr(
        presets, "AUDIO_OPUS_SPEECH", dataclasses.replace(presets.AUDIO_OPUS_SPEECH, bitrate_k=24)
    )
    assert mark_stale() == [asset.pk]
    stale = set(DerivativeFile.objects.filter(stale=True).values_list("name", flat=True))
    assert stale == {"audio_opus"}
    assert regenerate_stale() == [asset.pk]
    new = dict(DerivativeFile.objects.values_list("name", "preset_key"))
    assert new["audio_opus"] != old["audio_opus"] and new["audio_aac"] == old["audio_aac"]
    assert not DerivativeFile.objects.filter(stale=True).exists()
    assert DerivativeFile.objects.filter(asset=asset).count() == len(old)

"""Fixity: a flipped byte in an original is found and reported."""

import json
import os
from io import StringIO

import pytest
from django.core.management import call_command

from media_pipeline.models import EventType, MediaAsset
from media_pipeline.storage import originals_root

pytestmark = pytest.mark.django_db


def audit_json():
    out = StringIO()
    code = 0
    try:
        call_command("fixity_audit", "--json", stdout=out)
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def test_clean_store_passes(tone, ingest):
    ingest(tone)
    code, report = audit_json()
    assert code == 0 and report["ok"] == 1 and report["changed"] == 0


def test_flipped_byte_missing_file_and_stray_file_are_reported(tone, samples, ingest):
    first = ingest(tone).asset
    other = samples / "other.wav"
    other.write_bytes(tone.read_bytes()[:-100] + b"\x01" * 100)
    second = ingest(other).asset

    path = originals_root() / first.file.name
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    (originals_root() / second.file.name).unlink()
    (originals_root() / "stray.bin").write_bytes(b"nobody knows me")

    code, report = audit_json()
    assert code == 1
    assert report["changed_ids"] == [first.pk]
    assert report["missing_ids"] == [second.pk]
    assert report["untracked_files"] == ["stray.bin"]
    assert (
        MediaAsset.objects.get(pk=first.pk)
        .events.filter(event_type=EventType.FIXITY, outcome="changed")
        .exists()
    )


def test_fixity_audit_is_scheduled_once_on_the_task_queue(settings):
    from django_tasks_db.models import DBTaskResult

    from media_pipeline.tasks import ensure_fixity_scheduled

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    assert ensure_fixity_scheduled() is True
    assert ensure_fixity_scheduled() is False  # one waiting audit is enough
    [booked] = DBTaskResult.objects.filter(task_path__endswith="fixity_audit_task")
    assert booked.run_after > booked.enqueued_at

"""Originals and derivatives in a real S3-compatible bucket: ingest, processing, serving
with byte ranges, write-once and the fixity audit."""

import hashlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from media_pipeline.models import AssetState, DerivativeFile
from media_pipeline.services.processing import Outcome, process_asset

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


def _client(store):
    return store.connection.meta.client, store.bucket_name


def _object_bytes(objectstore, store, name) -> bytes:
    return b"".join(objectstore.iter_object(store, name))


def _local_files() -> list[Path]:
    roots = (Path(settings.DSS_ORIGINALS_ROOT), Path(settings.DSS_DERIVATIVES_ROOT))
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def _audit() -> tuple[int, dict]:
    out, code = StringIO(), 0
    try:
        call_command("fixity_audit", "--json", stdout=out)
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def test_ingest_process_serve_and_audit_through_the_bucket(
    on_s3, tone, ingest, public_recording, client
):
    before = set(_local_files())
    result = ingest(tone, record=public_recording)
    asset = result.asset
    asset.refresh_from_db()
    assert result.status == "queued" and asset.state == AssetState.DONE

    # The original is in the bucket under its checksum, byte for byte; nothing on local disk.
    digest = hashlib.sha256(tone.read_bytes()).hexdigest()
    assert asset.sha256 == digest and asset.file.name.endswith(f"{digest}.bin")
    assert _object_bytes(on_s3, on_s3.originals(), asset.file.name) == tone.read_bytes()
    assert asset.size == tone.stat().st_size
    assert set(_local_files()) == before

    # Derivatives were made from a scratch copy and uploaded.
    names = set(DerivativeFile.objects.filter(asset=asset).values_list("name", flat=True))
    assert {"audio_aac", "audio_opus"} <= names
    aac = DerivativeFile.objects.get(asset=asset, name="audio_aac")
    stored = _object_bytes(on_s3, on_s3.derivatives(), aac.path)
    assert len(stored) == aac.size > 100

    # Served through the view, whole and as a byte range.
    whole = client.get(f"/files/{asset.pk}/audio_aac")
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == stored
    part = client.get(f"/files/{asset.pk}/audio_aac", HTTP_RANGE="bytes=10-109")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-109/{len(stored)}"
    assert b"".join(part.streaming_content) == stored[10:110]
    tail = client.get(f"/files/{asset.pk}/audio_aac", HTTP_RANGE="bytes=-50")
    assert b"".join(tail.streaming_content) == stored[-50:]
    assert (
        client.get(f"/files/{asset.pk}/audio_aac", HTTP_RANGE="bytes=999999999-").status_code == 416
    )

    # Processing again is a no-op; the fixity audit streams from the bucket.
    assert process_asset(asset.pk) == Outcome.SKIPPED
    code, report = _audit()
    assert code == 0 and report["ok"] == 1 and report["untracked"] == 0


def test_fixity_audit_finds_changed_missing_and_stray_objects(on_s3, tone, tmp_path, ingest):
    first = ingest(tone).asset
    other = tmp_path / "other.wav"
    other.write_bytes(tone.read_bytes()[:-100] + b"\x01" * 100)
    second = ingest(other).asset
    s3, bucket = _client(on_s3.originals())
    key = on_s3.key_of(on_s3.originals(), first.file.name)
    data = bytearray(tone.read_bytes())
    data[len(data) // 2] ^= 0xFF
    s3.put_object(Bucket=bucket, Key=key, Body=bytes(data))  # damage behind our back
    s3.delete_object(Bucket=bucket, Key=on_s3.key_of(on_s3.originals(), second.file.name))
    s3.put_object(Bucket=bucket, Key="originals/stray.bin", Body=b"nobody knows me")

    code, report = _audit()
    assert code == 1
    assert report["changed_ids"] == [first.pk]
    assert report["missing_ids"] == [second.pk]
    assert report["untracked_files"] == ["stray.bin"]


def test_an_original_in_the_bucket_is_never_overwritten(on_s3, tone, ingest, tmp_path):
    digest = hashlib.sha256(tone.read_bytes()).hexdigest()
    name = f"{digest[:2]}/{digest[2:4]}/{digest}.bin"
    s3, bucket = _client(on_s3.originals())
    key = on_s3.key_of(on_s3.originals(), name)
    s3.put_object(Bucket=bucket, Key=key, Body=b"already here")
    etag = s3.head_object(Bucket=bucket, Key=key)["ETag"]

    ingest(tone)  # same checksum: the store must keep what is there
    assert _object_bytes(on_s3, on_s3.originals(), name) == b"already here"
    assert s3.head_object(Bucket=bucket, Key=key)["ETag"] == etag

    # The write-once put itself, with a different body for a taken key.
    other = tmp_path / "other.bin"
    other.write_bytes(b"something else")
    once = on_s3.originals().write_once()
    assert once.put_new(key, other) is False
    assert once.put_new("originals/new/key.bin", other) is True
    assert once.put_new("originals/new/key.bin", tone) is False
    assert _object_bytes(on_s3, on_s3.originals(), "new/key.bin") == b"something else"
    # Deleting through Django is refused as well.
    on_s3.originals().delete(name)
    assert on_s3.object_size(on_s3.originals(), name) == len(b"already here")


def test_derivatives_missing_from_the_bucket_are_not_served(
    on_s3, tone, ingest, public_recording, client
):
    asset = ingest(tone, record=public_recording).asset
    aac = DerivativeFile.objects.get(asset=asset, name="audio_aac")
    s3, bucket = _client(on_s3.derivatives())
    s3.delete_object(Bucket=bucket, Key=on_s3.key_of(on_s3.derivatives(), aac.path))
    assert client.get(f"/files/{asset.pk}/audio_aac").status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_through_the_bucket(on_s3, tone, ingest, public_recording, tmp_path):
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from heritage.backup import backup, restore
    from media_pipeline.models import MediaAsset

    asset = ingest(tone, record=public_recording).asset
    bag = backup(tmp_path / "bag").bag
    assert bag.is_valid()
    assert (tmp_path / "bag" / "data" / "originals" / asset.file.name).read_bytes() == (
        tone.read_bytes()
    )

    # An empty instance: no rows, and a new, empty bucket.
    call_command("flush", interactive=False, verbosity=0)
    settings.DSS_S3_BUCKET = settings.DSS_S3_BUCKET + "-restored"
    on_s3.reset()
    on_s3.ensure_bucket()

    report = restore(tmp_path / "bag")
    assert report.verified == 1 and report.queued == [asset.pk]
    restored = MediaAsset.objects.get()
    assert _object_bytes(on_s3, on_s3.originals(), restored.file.name) == tone.read_bytes()
    restored.refresh_from_db()
    assert restored.state == AssetState.DONE
    aac = DerivativeFile.objects.get(asset=restored, name="audio_aac")
    assert on_s3.object_size(on_s3.derivatives(), aac.path) == aac.size
    assert _local_files() == []
    ContentType.objects.get_for_models(*apps.get_models())  # see test_backup_restore.py


def test_new_originals_are_put_with_a_conditional_write(on_s3, tmp_path):
    """If-None-Match: * goes with every put of an original, so a server that honours it
    refuses an overwrite even when two workers pass the existence check together."""
    store = on_s3.originals()
    client = store.connection.meta.client
    sent = []

    def observe(request, **_kwargs):
        sent.append(request.headers.get("If-None-Match"))

    client.meta.events.register("before-send.s3.PutObject", observe)
    try:
        body = tmp_path / "body.bin"
        body.write_bytes(b"content")
        assert store.write_once().put_new("originals/cond/one.bin", body) is True
    finally:
        client.meta.events.unregister("before-send.s3.PutObject", observe)
    assert [h.decode() if isinstance(h, bytes) else h for h in sent] == ["*"]

"""Media in a bucket, sent by nginx: Django asks the gate and answers with X-Accel-Redirect
to nginx's internal /_protected/s3/ location (a presigned GET), nginx streams the object
from the real S3 server with byte ranges; the bucket and the internal location stay closed
to visitors."""

import urllib.error
import urllib.request

import pytest

from archive.access import AccessLevel
from archive.models import RecordingPage
from media_pipeline.models import DerivativeFile
from tests.factories import make_record

# A live server needs committed rows; serialized_rollback puts the migrations' rows back.
pytestmark = [pytest.mark.s3, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _get(url, headers=None):
    """(status, headers, body) of a GET, error answers included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers, refused.read()


def _object_bytes(objectstore, store, name) -> bytes:
    return b"".join(objectstore.iter_object(store, name))


def test_nginx_sends_bucket_media_with_ranges_after_the_gate(
    on_s3, nginx_in_front, live_server, tone, ingest, public_recording
):
    asset = ingest(tone, record=public_recording).asset
    aac = DerivativeFile.objects.get(asset=asset, name="audio_aac")
    whole = _object_bytes(on_s3, on_s3.derivatives(), aac.path)
    url = f"{nginx_in_front}/files/{asset.pk}/audio_aac"

    status, headers, body = _get(url, {"Range": "bytes=100-1123"})
    assert status == 206
    assert body == whole[100:1124]
    assert headers["Content-Range"] == f"bytes 100-1123/{len(whole)}"
    assert headers["Content-Type"] == aac.mime
    assert "no-store" not in headers["Cache-Control"]  # public: the browser may keep it
    assert not [name for name in headers if name.lower().startswith("x-amz")], dict(headers)
    assert "X-Accel-Redirect" not in headers

    status, headers, body = _get(url)
    assert status == 200 and body == whole

    # The same request straight to the app shows that nginx, not Python, sent the bytes.
    status, headers, body = _get(url.replace(nginx_in_front, live_server.url))
    assert headers["X-Accel-Redirect"].startswith("/_protected/s3/") and body == b""


def test_a_restricted_bucket_asset_is_refused_and_the_internal_door_is_closed(
    on_s3, nginx_in_front, tone, ingest
):
    record = make_record(RecordingPage, "Bài khấn riêng", access_level=AccessLevel.REGISTERED)
    asset = ingest(tone, record=record).asset
    aac = DerivativeFile.objects.get(asset=asset, name="audio_aac")
    secret = _object_bytes(on_s3, on_s3.derivatives(), aac.path)

    status, _headers, body = _get(f"{nginx_in_front}/files/{asset.pk}/audio_aac")
    assert status == 404 and secret[:64] not in body

    # The internal location cannot be asked for from outside, even with a valid signature.
    from media_pipeline.sendfile import object_accel_path

    internal = object_accel_path(on_s3.derivatives(), aac.path, aac.mime)
    status, _headers, body = _get(f"{nginx_in_front}{internal}")
    assert status == 404 and secret[:64] not in body

    # And the bucket itself does not answer an anonymous visitor.
    key = on_s3.key_of(on_s3.derivatives(), aac.path)
    bucket = on_s3.derivatives().bucket_name
    status, _headers, body = _get(f"{on_s3.derivatives().endpoint_url}/{bucket}/{key}")
    assert status == 403 and secret[:64] not in body

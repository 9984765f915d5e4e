"""Originals and derivatives in an S3-compatible bucket (``DSS_STORAGE = "s3"``).

The media core only knows local paths, so this adapter works around it:

- an upload is streamed to a scratch folder while hashed (``copy_to_store``), then put in the
  bucket under ``originals/ab/cd/<sha256>.bin`` — write-once: an existing key is never
  replaced (an existence check before the put, plus ``If-None-Match: *`` for servers that
  honour it, which also closes the race between two workers);
- processing gets a scratch copy of the original and a scratch output folder whose files are
  uploaded under ``derivatives/`` once the core has finished;
- the fixity audit and the ``/files/`` views stream from the bucket (with byte ranges).

The local folders stay the default; nothing here is imported unless S3 is chosen.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from botocore.config import Config
from botocore.exceptions import ClientError
from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from storages.backends.s3 import S3Storage

from .core.checksum import CHUNK_SIZE, copy_to_store
from .ranges import partial_response, requested_range

ORIGINALS = "originals"
DERIVATIVES = "derivatives"


def enabled() -> bool:
    return settings.DSS_STORAGE == "s3"


def _client_config() -> Config:
    # Path-style addressing and no streaming checksums: what S3-compatible servers share.
    return Config(
        s3={"addressing_style": "path"},
        signature_version="s3v4",
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        retries={"max_attempts": 3, "mode": "standard"},
    )


def _options(location: str) -> dict:
    return {
        "bucket_name": settings.DSS_S3_BUCKET,
        "endpoint_url": settings.DSS_S3_ENDPOINT_URL or None,
        "access_key": settings.DSS_S3_ACCESS_KEY or None,
        "secret_key": settings.DSS_S3_SECRET_KEY or None,
        "region_name": settings.DSS_S3_REGION,
        "location": location,
        "default_acl": None,
        "file_overwrite": False,
        "client_config": _client_config(),
    }


def _missing(exc: ClientError) -> bool:
    code = str(exc.response.get("Error", {}).get("Code", ""))
    return code in {"404", "NoSuchKey", "NotFound"}


class WriteOnceBucket:
    """Puts an object only when its key is free; says which way it went."""

    def __init__(self, client, bucket: str):
        self.client = client
        self.bucket = bucket
        self.conditional = True  # turned off when the server refuses If-None-Match

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _missing(exc):
                return False
            raise
        return True

    def put_new(self, key: str, path: str | Path) -> bool:
        """Upload ``path`` to ``key`` unless ``key`` exists. True when it was written."""
        if self.exists(key):
            return False
        with open(path, "rb") as body:
            extra = {"IfNoneMatch": "*"} if self.conditional else {}
            try:
                self.client.put_object(Bucket=self.bucket, Key=key, Body=body, **extra)
            except ClientError as exc:
                status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
                code = exc.response.get("Error", {}).get("Code", "")
                if status in (409, 412) or code in {
                    "PreconditionFailed",
                    "ConditionalRequestConflict",
                }:
                    return False  # someone stored it between our check and our put
                if status == 501 or code == "NotImplemented":
                    self.conditional = False
                    body.seek(0)
                    self.client.put_object(Bucket=self.bucket, Key=key, Body=body)
                    return True
                raise
        return True


class S3OriginalsStorage(S3Storage):
    """The bucket counterpart of ``storage.LocalOriginalsStorage``: content-addressed,
    write-once, never deleted through Django."""

    def __init__(self):
        super().__init__(**_options(ORIGINALS))

    def write_once(self) -> WriteOnceBucket:
        return WriteOnceBucket(self.connection.meta.client, self.bucket_name)

    def _save(self, name, content):
        content.seek(0)
        with tempfile.TemporaryDirectory(prefix="dss-s3-upload-") as scratch:
            stored = copy_to_store(content, scratch, settings.DSS_MAX_UPLOAD_BYTES)
            relative = Path(stored.path).relative_to(scratch).as_posix()
            self.write_once().put_new(self._normalize_name(relative), stored.path)
        return relative

    def get_available_name(self, name, max_length=None):
        return name  # decided in _save from the checksum

    def delete(self, name):
        return None

    def path(self, name):
        raise NotImplementedError("originals live in a bucket: use objectstore.local_copy")


@cache
def originals() -> S3OriginalsStorage:
    return S3OriginalsStorage()


@cache
def derivatives() -> S3Storage:
    return S3Storage(**_options(DERIVATIVES))


def reset() -> None:
    """Forget the cached connections (tests that change the settings)."""
    originals.cache_clear()
    derivatives.cache_clear()


def _client_and_bucket(storage: S3Storage):
    return storage.connection.meta.client, storage.bucket_name


def key_of(storage: S3Storage, name: str) -> str:
    return storage._normalize_name(name)


def ensure_bucket() -> None:
    client, bucket = _client_and_bucket(originals())
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError:
        client.create_bucket(Bucket=bucket)


@contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """A scratch copy of an original for the media core, removed afterwards."""
    client, bucket = _client_and_bucket(originals())
    with tempfile.TemporaryDirectory(prefix="dss-s3-original-") as scratch:
        path = Path(scratch) / Path(name).name
        client.download_file(bucket, key_of(originals(), name), str(path))
        yield path


@contextmanager
def derivative_workspace() -> Iterator[Path]:
    """A scratch derivatives root; the caller uploads what the core made with ``upload``."""
    with tempfile.TemporaryDirectory(prefix="dss-s3-derivatives-") as scratch:
        yield Path(scratch)


def upload_derivatives(scratch_root: Path, paths: list[str | Path]) -> None:
    client, bucket = _client_and_bucket(derivatives())
    for path in paths:
        relative = Path(path).relative_to(scratch_root).as_posix()
        client.upload_file(str(path), bucket, key_of(derivatives(), relative))


def iter_object(storage: S3Storage, name: str, start: int | None = None, end: int | None = None):
    client, bucket = _client_and_bucket(storage)
    extra = {"Range": f"bytes={start}-{end}"} if start is not None else {}
    body = client.get_object(Bucket=bucket, Key=key_of(storage, name), **extra)["Body"]
    try:
        while chunk := body.read(CHUNK_SIZE):
            yield chunk
    finally:
        body.close()


def object_size(storage: S3Storage, name: str) -> int | None:
    client, bucket = _client_and_bucket(storage)
    try:
        return client.head_object(Bucket=bucket, Key=key_of(storage, name))["ContentLength"]
    except ClientError as exc:
        if _missing(exc):
            return None
        raise


def sha256_object(storage: S3Storage, name: str) -> str:
    digest = hashlib.sha256()
    for chunk in iter_object(storage, name):
        digest.update(chunk)
    return digest.hexdigest()


def list_names(storage: S3Storage) -> Iterator[str]:
    client, bucket = _client_and_bucket(storage)
    prefix = storage.location.rstrip("/") + "/"
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if not item["Key"].endswith("/"):  # folder markers some servers list
                yield item["Key"][len(prefix) :]


def ranged_object_response(request, storage: S3Storage, name: str, content_type: str):
    """Stream an object through Python, whole or the byte range asked for."""
    size = object_size(storage, name)
    if size is None:
        raise Http404
    asked = requested_range(request, size)
    if asked is None:
        response = StreamingHttpResponse(iter_object(storage, name), content_type=content_type)
        response["Content-Length"] = str(size)
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = asked
    return partial_response(iter_object(storage, name, start, end), content_type, start, end, size)

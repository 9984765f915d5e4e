"""Streaming SHA-256 and a write-once, content-addressed store.

Uploads can be several gigabytes (an hour of 4K festival video), so nothing here
holds a whole file in memory: data moves in 1 MiB chunks.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from dataclasses import dataclass
from typing import BinaryIO, Literal

from . import errors
from .errors import MediaError

CHUNK_SIZE = 1024 * 1024


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks (constant memory)."""
    digest = hashlib.sha256()
    with open(path, "rb", buffering=0) as fh:
        buf = bytearray(CHUNK_SIZE)
        view = memoryview(buf)
        while n := fh.readinto(buf):
            digest.update(view[:n])
    return digest.hexdigest()


def store_path_for(dest_dir: str | os.PathLike[str], sha256: str) -> str:
    """Content-addressed path ``dest_dir/ab/cd/abcd….bin`` for a checksum.

    The two directory levels keep any one directory small; the ``.bin`` suffix
    makes it obvious the name says nothing about the type (sniffing does).
    """
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("sha256 must be 64 lowercase hex digits")
    return os.path.join(os.fspath(dest_dir), sha256[:2], sha256[2:4], f"{sha256}.bin")


@dataclass(frozen=True)
class StoredFile:
    """Result of :func:`copy_to_store`.

    Attributes:
        path: final, read-only (0o444) content-addressed path.
        sha256: hex digest of the content.
        size: bytes.
        status: ``"stored"`` for new content, ``"duplicate"`` when identical
            content was already in the store (nothing was overwritten).
    """

    path: str
    sha256: str
    size: int
    status: Literal["stored", "duplicate"]


def copy_to_store(src: BinaryIO, dest_dir: str | os.PathLike[str], max_bytes: int) -> StoredFile:
    """Stream ``src`` into the store under ``dest_dir`` while hashing it.

    The data goes to a temporary file inside ``dest_dir`` (same filesystem, so
    the final rename is atomic), then is moved to :func:`store_path_for`. The
    client's filename is never used to build a path.

    Raises:
        MediaError: ``empty_file`` for zero bytes, ``too_large`` past
            ``max_bytes`` (the temp file is deleted), ``no_space`` (transient) on
            a full disk.
    """
    dest_dir = os.fspath(dest_dir)
    os.makedirs(dest_dir, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=dest_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := src.read(CHUNK_SIZE):
                size += len(chunk)
                if size > max_bytes:
                    raise MediaError(
                        errors.TOO_LARGE, f"upload exceeds the limit of {max_bytes} bytes"
                    )
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise MediaError(errors.EMPTY_FILE, "the uploaded file is empty (0 bytes)")
        sha = digest.hexdigest()
        final = store_path_for(dest_dir, sha)
        os.makedirs(os.path.dirname(final), exist_ok=True)
        os.chmod(tmp, 0o444)
        try:
            # link() fails if the name exists, unlike rename(): write-once even
            # when two workers store the same content at the same moment.
            os.link(tmp, final)
        except FileExistsError:
            return StoredFile(path=final, sha256=sha, size=size, status="duplicate")
        return StoredFile(path=final, sha256=sha, size=size, status="stored")
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise MediaError(
                errors.NO_SPACE, "no space left while storing upload", permanent=False
            ) from exc
        raise
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass

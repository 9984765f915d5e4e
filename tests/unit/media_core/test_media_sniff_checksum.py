"""Pure tests: content sniffing and the write-once store.

The no-Django promise of the core is checked in tests/unit/test_import_graph.py.
"""

import io
import os
import stat
from pathlib import Path

import pytest

from media_pipeline.core import MediaError, copy_to_store, sha256_file, sniff, store_path_for
from media_pipeline.core.sniff import sniff_bytes

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("head", "kind", "container", "demuxer"),
    [
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "video", "mp4", "mov"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00", "audio", "m4a", "mov"),
        (b"\x00\x00\x00\x14ftyp3gp4\x00\x00\x02\x00", "video", "3gp", "mov"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "video", "webm", "matroska"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio", "wav", "wav"),
        (b"RIFF\x24\x00\x00\x00AVI LIST", "video", "avi", "avi"),
        (b"fLaC\x00\x00\x00\x22", "audio", "flac", "flac"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio", "mp3", "mp3"),
        (b"\xff\xfb\x90\x64" + b"\x00" * 8, "audio", "mp3", "mp3"),
        (b"OggS\x00\x02" + b"\x00" * 22 + b"OpusHead", "audio", "ogg", "ogg"),
        (b"#!AMR\n\x3c", "audio", "amr", "amr"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image", "jpeg", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", "image", "png", None),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image", "webp", None),
        (b"%PDF-1.7\n", "pdf", "pdf", None),
    ],
)
def test_sniff_recognises_allowed_types_by_content(head, kind, container, demuxer):
    found = sniff_bytes(head)
    assert (found.kind, found.container, found.demuxer) == (kind, container, demuxer)


@pytest.mark.parametrize(
    ("head", "words"),
    [
        (b"#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n", "playlist"),
        (b"\xef\xbb\xbf#EXTM3U\n", "playlist"),
        (b"ffconcat version 1.0\nfile '/etc/passwd'\n", "concat"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "HTML"),
        (b"Bai hat dan ca\nlyrics...\n", "plain text"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (b"\x7fELF\x02\x01\x01\x00", "executable"),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n", "PostScript"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07", "unrecognised"),
    ],
)
def test_sniff_rejects_non_media_with_a_clear_permanent_error(head, words):
    with pytest.raises(MediaError) as info:
        sniff_bytes(head)
    assert info.value.code == "unsupported_type"
    assert info.value.permanent
    assert words.lower() in info.value.detail.lower()


def test_sniff_ignores_the_extension(tmp_path):
    fake = tmp_path / "holiday.jpg"
    fake.write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 100)
    assert sniff(fake).kind == "audio"


def test_empty_file_is_a_permanent_empty_file_error(tmp_path):
    empty = tmp_path / "x.mp4"
    empty.write_bytes(b"")
    with pytest.raises(MediaError) as info:
        sniff(empty)
    assert info.value.code == "empty_file" and info.value.permanent


def test_sha256_matches_hashlib_for_multi_chunk_file(tmp_path):
    import hashlib

    data = os.urandom(3 * 1024 * 1024 + 123)
    path = tmp_path / "blob"
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()


class NamedUpload(io.BytesIO):
    """An upload whose client-supplied name is hostile."""

    name = "../../" + "ắ" * 300 + ".mp4"


def test_copy_to_store_is_content_addressed_read_only_and_ignores_client_name(tmp_path):
    store = tmp_path / "store"
    stored = copy_to_store(NamedUpload(b"hello heritage"), store, max_bytes=1000)
    assert stored.status == "stored"
    assert stored.path == store_path_for(store, stored.sha256)
    assert Path(stored.path).read_bytes() == b"hello heritage"
    assert stat.S_IMODE(os.stat(stored.path).st_mode) == 0o444
    assert Path(stored.path).resolve().is_relative_to(store.resolve())
    assert "ắ" not in stored.path
    assert [p.name for p in store.rglob(".upload-*")] == []


def test_copy_to_store_reports_duplicate_without_overwriting(tmp_path):
    first = copy_to_store(io.BytesIO(b"same bytes"), tmp_path, max_bytes=100)
    mtime = os.stat(first.path).st_mtime_ns
    second = copy_to_store(io.BytesIO(b"same bytes"), tmp_path, max_bytes=100)
    assert second.status == "duplicate"
    assert second.path == first.path
    assert os.stat(first.path).st_mtime_ns == mtime


def test_copy_to_store_rejects_oversize_and_leaves_no_temp_file(tmp_path):
    with pytest.raises(MediaError) as info:
        copy_to_store(io.BytesIO(b"x" * 5000), tmp_path, max_bytes=4096)
    assert info.value.code == "too_large" and info.value.permanent
    assert list(tmp_path.rglob("*")) == []


def test_copy_to_store_rejects_empty_upload(tmp_path):
    with pytest.raises(MediaError) as info:
        copy_to_store(io.BytesIO(b""), tmp_path, max_bytes=10)
    assert info.value.code == "empty_file"
    assert list(tmp_path.rglob("*.bin")) == []


def test_media_error_codes_are_validated():
    with pytest.raises(ValueError):
        MediaError("not_a_code", "x")
    err = MediaError("timeout", "slow", permanent=False)
    assert err.code == "timeout" and not err.permanent and "slow" in str(err)

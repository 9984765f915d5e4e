"""The shared copy of the index on disk: built once, memory-mapped read-only by every process.

Plain Python and numpy, no Django. One folder per database holds numbered generations::

    <folder>/gen-00000007/manifest.json   generation, high-water mark, facet values, and per
                                          array its dtype, shape and CRC-32
    <folder>/gen-00000007/<array>.npy     one file per array of the main segment

A generation is written into a hidden temporary folder, synced, and then renamed into place,
so a reader sees a whole generation or none. On load every file is checked against the
manifest (dtype, shape, CRC-32); a copy that fails is refused (``CorruptCopy``), moved aside
and never served. The pages of the mapped files are the kernel's page cache, shared by every
process that maps them, so N web processes cost about one copy of the arrays (PSS), and a
new process answers as soon as it has checked and mapped the files.

Builders take ``lock(folder)`` (an exclusive ``flock``), so one process builds while the
others keep answering from what they have, and then map the new generation.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .segment import Segment

logger = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
GENERATION = re.compile(r"^gen-(\d{8})$")
KEEP = 2  # generations kept: the newest, and the one processes may still be mapping
CRC_CHUNK = 64 * 1024 * 1024


class CorruptCopy(Exception):
    """A generation on disk that does not match its manifest (never served)."""


@dataclass
class StoredCopy:
    generation: int
    path: Path
    main: Segment
    high_water: str | None  # ISO timestamp of the newest document when it was built

    @property
    def nbytes(self) -> int:
        return self.main.nbytes


def generations(folder: Path) -> list[int]:
    """Numbers of the complete generations in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [int(m.group(1)) for p in folder.iterdir() if (m := GENERATION.match(p.name))]
    return sorted(found, reverse=True)


def generation_path(folder: Path, generation: int) -> Path:
    return folder / f"gen-{generation:08d}"


def publish(folder: Path, segment: Segment, high_water: str | None) -> int:
    """Write ``segment`` as the next generation; returns its number. Call under ``lock``."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays, facets = segment.to_arrays()
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder))
    try:
        entries = {}
        for name, array in arrays.items():
            array = np.ascontiguousarray(array)
            path = tmp / f"{name}.npy"
            with open(path, "wb") as handle:
                np.save(handle, array, allow_pickle=False)
                handle.flush()
                os.fsync(handle.fileno())
            entries[name] = {
                "dtype": array.dtype.str,
                "shape": list(array.shape),
                "crc32": _crc(array),
            }
        generation = _highest_number(folder) + 1
        manifest = {
            "format": FORMAT,
            "generation": generation,
            "documents": segment.n,
            "high_water": high_water,
            "facets": facets,
            "arrays": entries,
        }
        with open(tmp / MANIFEST, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o755)
        os.rename(tmp, generation_path(folder, generation))  # atomic: whole or absent
        _fsync_dir(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    prune(folder)
    return generation


def load(folder: Path, generation: int) -> StoredCopy:
    """Map generation ``generation`` read-only, after checking every file against its
    manifest; ``CorruptCopy`` if anything is missing, cut short or altered."""
    path = generation_path(folder, generation)
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or manifest.get("generation") != generation:
            raise CorruptCopy(f"{path}: unknown format or generation")
        arrays = {}
        for name, entry in manifest["arrays"].items():
            array = np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            if array.dtype.str != entry["dtype"] or list(array.shape) != entry["shape"]:
                raise CorruptCopy(f"{path}: {name} is not the array the manifest describes")
            if _crc(array) != entry["crc32"]:
                raise CorruptCopy(f"{path}: {name} fails its checksum")
            arrays[name] = array
        main = Segment.from_arrays(arrays, manifest["facets"])
        if main.n != manifest["documents"]:
            raise CorruptCopy(f"{path}: {main.n} documents, the manifest says otherwise")
    except CorruptCopy:
        raise
    except (OSError, ValueError, KeyError, TypeError, EOFError) as error:
        raise CorruptCopy(f"{path}: {error}") from error
    return StoredCopy(generation, path, main, manifest["high_water"])


def load_newest(folder: Path, *, newer_than: int = 0) -> StoredCopy | None:
    """The newest generation that passes its checks (newer than ``newer_than``), or None.
    A generation that fails is moved aside, so no process tries it again."""
    for generation in generations(folder):
        if generation <= newer_than:
            return None
        try:
            return load(folder, generation)
        except CorruptCopy:
            logger.warning("search copy refused, moved aside", exc_info=True)
            discard(folder, generation)
    return None


def discard(folder: Path, generation: int) -> None:
    path = generation_path(folder, generation)
    with contextlib.suppress(OSError):
        os.rename(path, folder / f".corrupt-{generation:08d}-{os.getpid()}")


def prune(folder: Path) -> None:
    """Remove all but the newest ``KEEP`` generations (a process still mapping an old one
    keeps its files until it lets go: unlinked files live while mapped)."""
    for generation in generations(folder)[KEEP:]:
        shutil.rmtree(generation_path(folder, generation), ignore_errors=True)
    for leftover in folder.glob(".corrupt-*"):
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def lock(folder: Path, *, wait: bool = True):
    """Exclusive builder lock of ``folder``; yields False (and holds nothing) when ``wait``
    is off and another process holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".build.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _highest_number(folder: Path) -> int:
    """The highest generation number used, counting the ones moved aside as corrupt: a
    number is never given to two different copies."""
    numbers = [0, *generations(folder)]
    numbers += [int(p.name.split("-")[1]) for p in folder.glob(".corrupt-*")]
    return max(numbers)


def _crc(array: np.ndarray) -> int:
    flat = array.reshape(-1).view(np.uint8) if array.size else np.zeros(0, np.uint8)
    crc = 0
    for start in range(0, len(flat), CRC_CHUNK):
        crc = zlib.crc32(flat[start : start + CRC_CHUNK], crc)
    return crc


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

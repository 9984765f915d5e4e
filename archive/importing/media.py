"""Media files that come with a sheet: a ZIP uploaded with it, or a folder on the server.

Files are found by name (the last part of their path, NFC). Nothing is trusted: a ZIP
entry whose path climbs out (``../``, an absolute path, a drive letter), a symbolic link,
an entry that expands far beyond its compressed size or beyond the size limit, or a ZIP
with too many entries is refused with a reason; the rows naming a refused file get that
reason as their problem, other rows go on. Entries are extracted one at a time into a
temporary file, counting the bytes really written (declared sizes can lie).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext_noop

from .matching import nfc

MAX_ENTRIES = 10_000
MAX_RATIO = 100  # uncompressed / compressed; real media barely compress at all


class Refused(Exception):
    def __init__(self, what: str, **params):
        super().__init__(what % params)
        self.what, self.params = what, params


class NoMedia:
    refused: dict[str, Refused] = {}

    def has(self, name: str) -> bool:
        return False

    @contextmanager
    def open(self, name: str):  # pragma: no cover - never asked: has() is False
        raise KeyError(name)
        yield

    def close(self):
        pass


def _unsafe_path(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or (len(name) > 1 and name[1] == ":")


class ZipMedia(NoMedia):
    def __init__(self, path, *, max_bytes: int | None = None):
        self.max_bytes = max_bytes or settings.DSS_MAX_UPLOAD_BYTES
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise Refused(gettext_noop("The media file is not a readable ZIP (%(error)s)."),
                          error=str(exc)) from exc  # fmt: skip
        infos = [i for i in self.zip.infolist() if not i.is_dir()]
        if len(infos) > MAX_ENTRIES:
            raise Refused(
                gettext_noop("The ZIP holds %(count)s files; at most %(limit)s are accepted."),
                count=len(infos),
                limit=MAX_ENTRIES,
            )
        self.entries: dict[str, zipfile.ZipInfo] = {}
        self.refused: dict[str, Refused] = {}
        total = 0
        for info in infos:
            name = nfc(PurePosixPath(info.filename.replace("\\", "/")).name)
            problem = self._check(info)
            if problem is None and name in self.entries:
                problem = Refused(
                    gettext_noop("Two files in the ZIP are called %(name)s."), name=name
                )
            if problem is None:
                total += info.file_size
                if total > self.max_bytes:
                    problem = Refused(
                        gettext_noop("The ZIP expands beyond the %(limit)s bytes accepted."),
                        limit=self.max_bytes,
                    )
            if problem is not None:
                self.refused[name] = problem
                self.entries.pop(name, None)
            else:
                self.entries[name] = info

    def _check(self, info: zipfile.ZipInfo) -> Refused | None:
        if _unsafe_path(info.filename):
            return Refused(
                gettext_noop("The ZIP entry %(path)s points outside the ZIP (path traversal)."),
                path=info.filename,
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            return Refused(
                gettext_noop("The ZIP entry %(path)s is a symbolic link."), path=info.filename
            )
        if info.file_size > self.max_bytes:
            return Refused(
                gettext_noop("The file %(path)s is larger than the %(limit)s bytes accepted."),
                path=info.filename,
                limit=self.max_bytes,
            )
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1 << 20:
            return Refused(
                gettext_noop("The file %(path)s expands %(ratio)s times (a ZIP bomb?)."),
                path=info.filename,
                ratio=info.file_size // max(info.compress_size, 1),
            )
        return None

    def has(self, name: str) -> bool:
        return nfc(name) in self.entries

    @contextmanager
    def open(self, name: str):
        info = self.entries[nfc(name)]
        with tempfile.TemporaryFile() as out, self.zip.open(info) as source:
            written = 0
            while chunk := source.read(1 << 20):
                written += len(chunk)
                if written > info.file_size or written > self.max_bytes:
                    raise Refused(
                        gettext_noop("The file %(path)s is larger than the ZIP says."),
                        path=info.filename,
                    )
                out.write(chunk)
            out.seek(0)
            yield out

    def close(self):
        self.zip.close()


class FolderMedia(NoMedia):
    """A folder on the server: regular files inside it, no symbolic links anywhere."""

    def __init__(self, path):
        self.root = Path(path).resolve()
        if not self.root.is_dir():
            raise Refused(gettext_noop("The media folder %(path)s does not exist."), path=str(path))
        self.entries: dict[str, Path] = {}
        self.refused: dict[str, Refused] = {}
        for folder, dirs, files in os.walk(self.root, followlinks=False):
            for name in dirs + files:
                full = Path(folder) / name
                if full.is_symlink():
                    self.refused[nfc(name)] = Refused(
                        gettext_noop("%(path)s is a symbolic link; links are not followed."),
                        path=str(full.relative_to(self.root)),
                    )
                elif name in files and full.is_file():
                    key = nfc(name)
                    if key in self.entries:
                        self.refused[key] = Refused(
                            gettext_noop("Two files in the folder are called %(name)s."), name=key
                        )
                    else:
                        self.entries[key] = full
        for key in self.refused:
            self.entries.pop(key, None)

    def has(self, name: str) -> bool:
        return nfc(name) in self.entries

    @contextmanager
    def open(self, name: str):
        path = self.entries[nfc(name)]
        if path.is_symlink() or not path.resolve().is_relative_to(self.root):
            raise Refused(
                gettext_noop("%(path)s is a symbolic link; links are not followed."), path=name
            )
        with path.open("rb") as handle:
            yield handle


def media_source(path):
    """A ZIP file or a folder; NoMedia when ``path`` is empty."""
    if not path:
        return NoMedia()
    if Path(path).is_dir():
        return FolderMedia(path)
    return ZipMedia(path)


def copy_upload(upload, folder) -> Path:
    """Keep an uploaded ZIP on disk for the background import (the request ends first)."""
    target = Path(folder) / "media.zip"
    with target.open("wb") as out:
        shutil.copyfileobj(upload, out)
    return target

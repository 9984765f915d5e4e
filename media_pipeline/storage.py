"""Where originals and derivatives live. Neither folder (nor bucket) is ever served directly:
every byte leaves through the permission-checked views in ``views.py``.

``DSS_STORAGE`` chooses the place: ``local`` (the default) keeps them in the folders
``DSS_ORIGINALS_ROOT`` and ``DSS_DERIVATIVES_ROOT``; ``s3`` keeps them in an S3-compatible
bucket (``objectstore.py``).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage

from .core.checksum import copy_to_store


def originals_root() -> Path:
    return Path(settings.DSS_ORIGINALS_ROOT)


def derivatives_root() -> Path:
    return Path(settings.DSS_DERIVATIVES_ROOT)


def uses_s3() -> bool:
    return settings.DSS_STORAGE == "s3"


class LocalOriginalsStorage(FileSystemStorage):
    """Write-once, content-addressed store for originals.

    Whatever name Django proposes (the uploader's filename) is ignored: the file is streamed
    to disk while hashed and stored as ``ab/cd/<sha256>.bin``. Identical content is stored once.
    """

    def __init__(self, location=None):
        super().__init__(location=str(location or originals_root()), base_url=None)

    def _save(self, name, content):
        content.seek(0)
        stored = copy_to_store(content, self.location, settings.DSS_MAX_UPLOAD_BYTES)
        return str(Path(stored.path).relative_to(self.location))

    def get_available_name(self, name, max_length=None):
        return name  # the real name is decided in _save from the checksum

    def delete(self, name):
        # Originals are never deleted through Django: preservation outlives catalogue edits.
        return None


@cache
def _local_originals(location: str) -> LocalOriginalsStorage:
    return LocalOriginalsStorage(location)


class OriginalsStorage(Storage):
    """The model field's storage: hands each call to the folder or the bucket that the
    settings name at the time of the call."""

    def backend(self) -> Storage:
        if uses_s3():
            from .objectstore import originals

            return originals()
        return _local_originals(str(originals_root()))

    def _save(self, name, content):
        return self.backend()._save(name, content)

    def _open(self, name, mode="rb"):
        return self.backend()._open(name, mode)

    def get_available_name(self, name, max_length=None):
        return name

    def exists(self, name):
        return self.backend().exists(name)

    def size(self, name):
        return self.backend().size(name)

    def path(self, name):
        return self.backend().path(name)

    def url(self, name):
        # Never a bucket address (it would bypass the access gate); on disk, as before.
        return None if uses_s3() else self.backend().url(name)

    def delete(self, name):
        return None

    def listdir(self, path):
        return self.backend().listdir(path)


@cache
def originals_storage() -> OriginalsStorage:
    return OriginalsStorage()


@contextmanager
def local_original(name: str) -> Iterator[Path]:
    """A local path to the original stored as ``name``, for the media core: the file itself
    in the folder, or a scratch copy fetched from the bucket (removed afterwards)."""
    if uses_s3():
        from .objectstore import local_copy

        with local_copy(name) as path:
            yield path
    else:
        yield originals_root() / name


@contextmanager
def derivatives_workspace() -> Iterator[Path]:
    """The folder the media core writes derivatives under: the derivatives folder itself,
    or a scratch folder whose results ``publish_derivatives`` uploads to the bucket."""
    if uses_s3():
        from .objectstore import derivative_workspace

        with derivative_workspace() as root:
            yield root
    else:
        yield derivatives_root()


def publish_derivatives(root: Path, paths) -> None:
    """Make what the core wrote under ``root`` available to the views (a no-op on disk)."""
    if uses_s3():
        from .objectstore import upload_derivatives

        upload_derivatives(root, list(paths))

"""Where originals and derivatives live. Neither folder is ever served directly:
every byte leaves through the permission-checked views in ``views.py``."""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from .core.checksum import copy_to_store


def originals_root() -> Path:
    return Path(settings.DSS_ORIGINALS_ROOT)


def derivatives_root() -> Path:
    return Path(settings.DSS_DERIVATIVES_ROOT)


class OriginalsStorage(FileSystemStorage):
    """Write-once, content-addressed store for originals.

    Whatever name Django proposes (the uploader's filename) is ignored: the file is streamed
    to disk while hashed and stored as ``ab/cd/<sha256>.bin``. Identical content is stored once.
    """

    def __init__(self):
        super().__init__(location=str(originals_root()), base_url=None)

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
def originals_storage() -> OriginalsStorage:
    return OriginalsStorage()

"""The uploader's filename, kept as metadata only (never used as a storage path)."""

import os
import unicodedata

MAX_FILENAME_CHARS = 512


def clean_filename(name: str) -> str:
    """NFC, no directories (either slash), no control or format characters, 512 at most."""
    name = unicodedata.normalize("NFC", os.path.basename(name.replace("\\", "/")))
    return "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")[:MAX_FILENAME_CHARS]

"""Published versions of the package and the changelog between them.

Layout under ``DSS_OPEN_DATA_DIR``::

    <version>/package/…        the package (datapackage.json, CSV, JSON, content hashes)
    <version>/di-san-so-open-data-<version>.zip
    <version>/version.json     written last: files and sizes, changelog, licence
    stale                      present when a large change asks for an early rebuild

A version exists once its ``version.json`` does (it is written after everything else, by
rename), so the page never offers a half-written package. Versions are named by their UTC
build time (``20261129T210501Z``), which sorts. The last ``KEEP`` versions are kept.

When to build (the task worker's scheduled loop asks :func:`due`): when no version exists,
when the latest is older than ``DSS_OPEN_DATA_INTERVAL_HOURS``, or when the ``stale`` mark
is there — set by an import (the audit trail's "import" event, :func:`mark_stale`), so a
bulk import reaches the open data within a minute or so instead of a day.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .package import HASHES, licence, package_files, write_package, zip_package

KEEP = 5
VERSION_FILE = "version.json"
STALE = "stale"
FORMAT = "%Y%m%dT%H%M%SZ"


def root() -> Path:
    return Path(settings.DSS_OPEN_DATA_DIR)


def versions() -> list[str]:
    """Published versions, newest first."""
    if not root().is_dir():
        return []
    names = [p.name for p in root().iterdir() if (p / VERSION_FILE).is_file()]
    return sorted(names, reverse=True)


def read_version(name: str) -> dict | None:
    if name not in versions():
        return None
    return json.loads((root() / name / VERSION_FILE).read_text(encoding="utf-8"))


def latest() -> dict | None:
    names = versions()
    return read_version(names[0]) if names else None


def changelog(old: dict[str, str], new: dict[str, str]) -> dict[str, int]:
    """Counts between two versions' {accession: content hash}: records added, changed (same
    number, different content) and withdrawn (no longer public, or deleted)."""
    return {
        "added": sum(1 for k in new if k not in old),
        "changed": sum(1 for k, h in new.items() if k in old and old[k] != h),
        "withdrawn": sum(1 for k in old if k not in new),
    }


def _hashes(name: str | None) -> dict[str, str]:
    if not name:
        return {}
    return json.loads((root() / name / "package" / HASHES).read_text(encoding="utf-8"))


def build_version(now: datetime | None = None) -> dict:
    """Build a package and publish it as the newest version; returns its version.json."""
    moment = (now or timezone.now()).astimezone(UTC)
    name = moment.strftime(FORMAT)
    previous = versions()
    if previous and previous[0] >= name:  # two builds in one second: keep the order
        name = (datetime.strptime(previous[0], FORMAT) + timedelta(seconds=1)).strftime(FORMAT)
    root().mkdir(parents=True, exist_ok=True)
    clear_stale()  # an import during the build marks it again
    work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=root()))
    try:
        package = work / "package"
        write_package(package)
        zip_name = f"di-san-so-open-data-{name}.zip"
        zip_package(package, work / zip_name)
        hashes = json.loads((package / HASHES).read_text(encoding="utf-8"))
        files = [{"name": f, "bytes": (package / f).stat().st_size} for f in package_files(package)]
        info = {
            "version": name,
            "created": moment.replace(microsecond=0).isoformat(),
            "records": len(hashes),
            "previous": previous[0] if previous else None,
            "changes": changelog(_hashes(previous[0] if previous else None), hashes),
            "licence": licence(),
            "zip": {"name": zip_name, "bytes": (work / zip_name).stat().st_size},
            "files": files,
        }
        (work / VERSION_FILE).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
        os.replace(work, root() / name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _prune()
    return info


def _prune() -> None:
    for name in versions()[KEEP:]:
        shutil.rmtree(root() / name, ignore_errors=True)


def file_path(version: str, name: str) -> Path | None:
    """The path of a published file of ``version``, or None: only the names its
    version.json lists (the package's files and its ZIP) are ever offered."""
    info = read_version(version)
    if info is None:
        return None
    if name == info["zip"]["name"]:
        return root() / version / name
    if name in {f["name"] for f in info["files"]}:
        return root() / version / "package" / name
    return None


def mark_stale() -> None:
    root().mkdir(parents=True, exist_ok=True)
    (root() / STALE).touch()


def clear_stale() -> None:
    (root() / STALE).unlink(missing_ok=True)


def due(now: datetime | None = None) -> bool:
    """Whether the task worker should build a version now (see the module doc)."""
    info = latest()
    if info is None or (root() / STALE).exists():
        return True
    created = datetime.fromisoformat(info["created"])
    interval = timedelta(hours=settings.DSS_OPEN_DATA_INTERVAL_HOURS)
    return (now or timezone.now()) - created >= interval


def on_audit_event(sender, action=None, **kwargs) -> None:
    """Receiver of ``archive.audit_events.audit_event``: an import asks for a rebuild."""
    if action == "import":
        mark_stale()

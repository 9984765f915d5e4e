"""Fixity audit: re-hash every original and compare with the checksum taken at ingest.

With ``DSS_STORAGE = "s3"`` each original is streamed from the bucket and hashed on the way
(never written to disk); the bucket's ``originals/`` listing gives the untracked objects."""

import os
from dataclasses import dataclass, field

from ..core.checksum import sha256_file
from ..models import EventType, MediaAsset
from ..storage import originals_root, uses_s3
from .events import record_event


@dataclass
class FixityReport:
    ok: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    untracked: list[str] = field(default_factory=list)

    def counts(self) -> dict:
        return {
            "ok": len(self.ok),
            "changed": len(self.changed),
            "missing": len(self.missing),
            "untracked": len(self.untracked),
        }

    @property
    def failed(self) -> bool:
        return bool(self.changed or self.missing)


def _check(report: FixityReport, asset: MediaAsset, actual: str | None) -> None:
    if actual is None:
        report.missing.append(asset.pk)
        record_event(asset, EventType.FIXITY, "missing", f"{asset.file.name} not found")
    elif actual == asset.sha256:
        report.ok.append(asset.pk)
        record_event(asset, EventType.FIXITY, "ok", f"sha256 {actual}", tool="sha256")
    else:
        report.changed.append(asset.pk)
        record_event(
            asset,
            EventType.FIXITY,
            "changed",
            f"expected {asset.sha256}, found {actual}",
            tool="sha256",
        )


def _audit_bucket() -> FixityReport:
    from .. import objectstore

    report = FixityReport()
    store = objectstore.originals()
    known = set()
    for asset in MediaAsset.objects.exclude(sha256="").iterator():
        known.add(asset.file.name)
        present = objectstore.object_size(store, asset.file.name) is not None
        _check(
            report, asset, objectstore.sha256_object(store, asset.file.name) if present else None
        )
    report.untracked = sorted(name for name in objectstore.list_names(store) if name not in known)
    return report


def audit() -> FixityReport:
    if uses_s3():
        return _audit_bucket()
    report = FixityReport()
    root = originals_root()
    known = set()
    for asset in MediaAsset.objects.exclude(sha256="").iterator():
        path = root / asset.file.name
        known.add(str(path))
        _check(report, asset, sha256_file(path) if path.exists() else None)
    if root.exists():
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                full = os.path.join(dirpath, name)
                if full not in known and not name.startswith(".upload-"):
                    report.untracked.append(os.path.relpath(full, root))
    return report

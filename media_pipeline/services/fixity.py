"""Fixity audit: re-hash every original and compare with the checksum taken at ingest."""

import os
from dataclasses import dataclass, field

from ..core.checksum import sha256_file
from ..models import EventType, MediaAsset
from ..storage import originals_root
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


def audit() -> FixityReport:
    report = FixityReport()
    root = originals_root()
    known = set()
    for asset in MediaAsset.objects.exclude(sha256="").iterator():
        path = root / asset.file.name
        known.add(str(path))
        if not path.exists():
            report.missing.append(asset.pk)
            record_event(asset, EventType.FIXITY, "missing", f"{asset.file.name} not found")
            continue
        actual = sha256_file(path)
        if actual == asset.sha256:
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
    if root.exists():
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                full = os.path.join(dirpath, name)
                if full not in known and not name.startswith(".upload-"):
                    report.untracked.append(os.path.relpath(full, root))
    return report

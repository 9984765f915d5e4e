"""Reference data, downward: the national archive publishes its groups, provincial units
and former provinces as a versioned data package (datapackage.json + CSV, Frictionless
style); a province reads it, sees what would change, and applies it.

The descriptor is signed with the publishing instance's Ed25519 key (the same key and
helpers as signed bundles, ``bundles.py``); since it holds each CSV's SHA-256, the signature
covers the whole package. A province names the registered peer whose key must have signed
it; an unsigned or altered package is refused and nothing is applied, unless the officer
explicitly reads it unsigned.

Applying never breaks a record: a renamed group or unit keeps its row (records follow the
code, not the name); a unit merged into another has its records retagged to the new unit
and its former provinces moved along, so they count under the new unit exactly as former
provinces do today (``FormerProvince.successor``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AppliedReferenceData, EthnicGroup, FormerProvince, Province, RecordPage
from ..services.slugs import ascii_slug
from . import fetch
from .bundles import (
    BundleRefused,
    load_private_key,
    registered_peer,
    signature_matches,
    signature_of,
)

PACKAGE_NAME = "dss-reference-data"
DESCRIPTOR = "datapackage.json"
RESOURCES = {
    "ethnic_groups": ["code", "name_vi", "name_en"],
    "provinces": ["code", "name", "unit_type", "merged_into"],
    "former_provinces": ["code", "name", "successor"],
}


class ReferenceDataError(Exception):
    """A package that cannot be read: ``str()`` is the sentence for the officer."""


# Publishing ----------------------------------------------------------------------------


def _tables() -> dict[str, list[dict]]:
    return {
        "ethnic_groups": [
            {"code": g.code, "name_vi": g.name_vi or g.name, "name_en": g.name_en or ""}
            for g in EthnicGroup.objects.order_by("code")
        ],
        "provinces": [
            {"code": p.code, "name": p.name, "unit_type": p.unit_type, "merged_into": ""}
            for p in Province.objects.order_by("code")
        ],
        "former_provinces": [
            {"code": f.code, "name": f.name, "successor": f.successor.code}
            for f in FormerProvince.objects.select_related("successor").order_by("code")
        ],
    }


def _csv(columns: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def publish(directory: Path, merged: dict[str, str] | None = None) -> str:
    """Write the signed package to ``directory``; ``merged`` (code -> code) announces units
    that were merged away. The version is the content's hash, so an unchanged package keeps
    it. Without a signing key nothing is written (:class:`ReferenceDataError`)."""
    try:
        key = load_private_key()
    except BundleRefused as exc:
        raise ReferenceDataError(str(exc)) from exc
    directory.mkdir(parents=True, exist_ok=True)
    tables = _tables()
    merged = merged or {}
    for row in tables["provinces"]:
        row["merged_into"] = merged.get(row["code"], "")
    for row in tables["former_provinces"]:
        row["successor"] = merged.get(row["successor"], row["successor"])
    files = {name: _csv(RESOURCES[name], rows) for name, rows in tables.items()}
    version = hashlib.sha256(b"".join(files[n] for n in sorted(files))).hexdigest()[:16]
    resources = []
    for name, data in files.items():
        (directory / f"{name}.csv").write_bytes(data)
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "encoding": "utf-8",
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "schema": {"fields": [{"name": c, "type": "string"} for c in RESOURCES[name]]},
            }
        )
    descriptor = {
        "name": PACKAGE_NAME,
        "version": version,
        "created": timezone.now().isoformat(),
        "signed_by": settings.DSS_OAI_REPOSITORY_ID,
        "resources": resources,
    }
    # Ed25519 over the canonical JSON of everything else (the per-file hashes included).
    descriptor["signature"] = signature_of(descriptor, key)
    (directory / DESCRIPTOR).write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return version


def served_file(name: str) -> Path | None:
    """The published package's file ``name`` (its descriptor or one of its tables), or None:
    nothing else in or beside the folder is ever offered."""
    if name not in {DESCRIPTOR} | {f"{table}.csv" for table in RESOURCES}:
        return None
    path = Path(settings.DSS_REFERENCE_DATA_DIR) / name
    return path if path.is_file() else None


# Reading -------------------------------------------------------------------------------


@dataclass
class Package:
    version: str
    tables: dict[str, list[dict]]
    source: str = ""
    signed_by: str = ""  # the registered peer whose key was checked; empty: read unsigned


# A reference package is a few hundred kB: a larger answer is not one.
MAX_PACKAGE_FILE_BYTES = 5 * 1024 * 1024


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _read(source: str, name: str) -> bytes:
    if _is_url(source):
        # fetch.get: connect/read timeouts, a whole-answer deadline, redirect and size caps.
        return fetch.get(f"{source}/{name}", {}, max_bytes=MAX_PACKAGE_FILE_BYTES)
    return (Path(source) / name).read_bytes()


def _base(source: str) -> str:
    """The folder or base URL of the package (its datapackage.json's address works too)."""
    source = source.strip()
    if source.endswith(DESCRIPTOR):
        source = source[: -len(DESCRIPTOR)]
    return source.rstrip("/") if _is_url(source) else source


def check_signature(descriptor: dict, peer_label: str) -> None:
    """The descriptor carries a signature by ``peer_label``'s registered key, or
    :class:`ReferenceDataError` (nothing is applied)."""
    try:
        peer = registered_peer(peer_label)
    except BundleRefused as exc:
        raise ReferenceDataError(str(exc)) from exc
    unsigned = dict(descriptor)
    signature = unsigned.pop("signature", None)
    if not signature:
        raise ReferenceDataError(
            _(
                "Refused: the reference data package is not signed; nothing was applied. "
                "Use --unsigned only if you trust where it comes from."
            )
        )
    if not signature_matches(unsigned, signature, peer.public_key):
        raise ReferenceDataError(
            _(
                "Refused: the reference data package's signature does not match "
                "%(label)s's registered key (it was altered or signed by someone else); "
                "nothing was applied."
            )
            % {"label": peer.label}
        )


def read_package(source: str, *, peer: str | None = None) -> Package:
    """The package at ``source`` (a folder, a base URL or the URL of its datapackage.json),
    signed by the registered peer labelled ``peer`` (``None``: read unsigned, the
    officer's explicit choice), each CSV checked against the hash its descriptor gives."""
    source = _base(source)
    try:
        descriptor = json.loads(_read(source, DESCRIPTOR))
        if not isinstance(descriptor, dict) or descriptor.get("name") != PACKAGE_NAME:
            raise ValueError
        if peer is not None:
            check_signature(descriptor, peer)
        tables = {}
        for resource in descriptor["resources"]:
            if resource["name"] not in RESOURCES:
                continue
            data = _read(source, resource["path"])
            if resource.get("hash") != "sha256:" + hashlib.sha256(data).hexdigest():
                raise ReferenceDataError(
                    _("The file %(name)s does not match the package's checksum.")
                    % {"name": resource["path"]}
                )
            tables[resource["name"]] = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReferenceDataError(
            _("No reference data package could be read at %(source)s.") % {"source": source}
        ) from exc
    except fetch.faults.HarvestFault as exc:
        raise ReferenceDataError(str(exc)) from exc
    if set(tables) != set(RESOURCES):
        raise ReferenceDataError(_("The reference data package is missing a table."))
    return Package(descriptor.get("version", ""), tables, source, peer or "")


# The diff ------------------------------------------------------------------------------


@dataclass
class Change:
    kind: str  # group_new, group_renamed, unit_new, unit_renamed, unit_merged, former_moved
    code: str
    old: str = ""
    new: str = ""

    def sentence(self) -> str:
        values = {"code": self.code, "old": self.old, "new": self.new}
        return {
            "group_new": _("New ethnic group %(code)s: %(new)s."),
            "group_renamed": _("Ethnic group %(code)s renamed: “%(old)s” → “%(new)s”."),
            "unit_new": _("New provincial unit %(code)s: %(new)s."),
            "unit_renamed": _("Provincial unit %(code)s renamed: “%(old)s” → “%(new)s”."),
            "unit_merged": _(
                "Provincial unit “%(old)s” merged into “%(new)s”; its records will count "
                "under “%(new)s”."
            ),
            "former_moved": _("Former province %(code)s now belongs to “%(new)s” (was “%(old)s”)."),
            "former_new": _("New former province %(code)s: %(new)s."),
        }[self.kind] % values


@dataclass
class Diff:
    version: str
    changes: list[Change] = field(default_factory=list)


def _group_name(row: dict) -> str:
    return f"{row['name_vi']} / {row['name_en']}" if row.get("name_en") else row["name_vi"]


def diff(package: Package) -> Diff:
    result = Diff(package.version)
    groups = {g.code: g for g in EthnicGroup.objects.all()}
    for row in package.tables["ethnic_groups"]:
        held = groups.get(row["code"])
        if held is None:
            result.changes.append(Change("group_new", row["code"], new=_group_name(row)))
        elif (held.name_vi, held.name_en or "") != (row["name_vi"], row["name_en"]):
            old = _group_name({"name_vi": held.name_vi, "name_en": held.name_en})
            result.changes.append(Change("group_renamed", row["code"], old, _group_name(row)))
    units = {p.code: p for p in Province.objects.all()}
    names = {r["code"]: r["name"] for r in package.tables["provinces"]}
    for row in package.tables["provinces"]:
        held = units.get(row["code"])
        if row["merged_into"]:
            if held is not None:
                into = names.get(row["merged_into"], row["merged_into"])
                result.changes.append(Change("unit_merged", row["code"], held.name, into))
        elif held is None:
            result.changes.append(Change("unit_new", row["code"], new=row["name"]))
        elif held.name != row["name"]:
            result.changes.append(Change("unit_renamed", row["code"], held.name, row["name"]))
    former = {f.code: f for f in FormerProvince.objects.select_related("successor")}
    for row in package.tables["former_provinces"]:
        held = former.get(row["code"])
        into = names.get(row["successor"], row["successor"])
        if held is None:
            result.changes.append(Change("former_new", row["code"], new=row["name"]))
        elif held.successor.code != row["successor"]:
            result.changes.append(Change("former_moved", row["code"], held.successor.name, into))
    return result


# Applying ------------------------------------------------------------------------------


@transaction.atomic
def apply_package(package: Package) -> Diff:
    """Apply ``package`` (all or nothing) and return what changed."""
    changes = diff(package)
    for row in package.tables["ethnic_groups"]:
        group = EthnicGroup.objects.filter(code=row["code"]).first()
        if group is None:
            slug = ascii_slug(row["name_vi"])
            EthnicGroup.objects.create(
                code=row["code"], slug=slug, name=row["name_vi"], name_vi=row["name_vi"],
                name_en=row["name_en"],
            )  # fmt: skip
        elif (group.name_vi, group.name_en or "") != (row["name_vi"], row["name_en"]):
            group.name = group.name_vi = row["name_vi"]
            group.name_en = row["name_en"]
            group.save()  # the slug stays: links to the group page keep working
    live = [r for r in package.tables["provinces"] if not r["merged_into"]]
    for row in live:
        unit = Province.objects.filter(code=row["code"]).first()
        if unit is None:
            Province.objects.create(
                code=row["code"], name=row["name"], unit_type=row["unit_type"],
                slug=ascii_slug(row["name"]),
            )  # fmt: skip
        elif (unit.name, unit.unit_type) != (row["name"], row["unit_type"]):
            unit.name, unit.unit_type = row["name"], row["unit_type"]
            unit.save()
    for row in package.tables["provinces"]:
        if row["merged_into"]:
            _merge(row["code"], row["merged_into"])
    units = {p.code: p for p in Province.objects.all()}
    for row in package.tables["former_provinces"]:
        if row["successor"] not in units:
            raise ReferenceDataError(
                _("Former province %(code)s belongs to an unknown unit.") % {"code": row["code"]}
            )
        FormerProvince.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "successor": units[row["successor"]]}
        )
    AppliedReferenceData.objects.create(
        version=package.version[:64],
        signed_by=package.signed_by,
        source=package.source[:500],
        changes=len(changes.changes),
    )
    return changes


def last_applied() -> AppliedReferenceData | None:
    return AppliedReferenceData.objects.first()


def _merge(code: str, into_code: str) -> None:
    """Records of unit ``code`` are tagged with ``into_code`` instead, its former provinces
    follow, then the unit goes."""
    unit = Province.objects.filter(code=code).first()
    if unit is None:
        return
    into = Province.objects.get(code=into_code)
    links = RecordPage.provinces.through.objects
    tagged = set(links.filter(province=unit).values_list("recordpage_id", flat=True))
    already = set(links.filter(province=into).values_list("recordpage_id", flat=True))
    links.bulk_create(
        [RecordPage.provinces.through(recordpage_id=r, province=into) for r in tagged - already]
    )
    links.filter(province=unit).delete()
    FormerProvince.objects.filter(successor=unit).update(successor=into)
    unit.delete()

"""Write the data package into a folder: ``<table>.csv`` and ``<table>.json`` per table,
``datapackage.json`` (Frictionless, fields titled in vi and en), and ``content-hashes.json``
(accession number → hash of everything the package says about that record), which the
changelog between versions compares. A ZIP of the package is made by :func:`zip_package`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .fields import TABLES, Table
from .rows import ROWS

HASHES = "content-hashes.json"
LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": ("Open Data Commons Attribution 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
}  # fmt: skip


def licence() -> dict:
    """The metadata licence (``DSS_OPEN_DATA_LICENCE``, an SPDX identifier)."""
    name = settings.DSS_OPEN_DATA_LICENCE
    title, path = LICENCES.get(name, (name, ""))
    out = {"name": name, "title": title}
    if path:
        out["path"] = path
    return out


def _write_table(folder: Path, table: Table, hashes: dict[str, hashlib._Hash]) -> list[dict]:
    names = table.names
    csv_path, json_path = folder / f"{table.name}.csv", folder / f"{table.name}.json"
    with (
        csv_path.open("w", encoding="utf-8", newline="") as csv_file,
        json_path.open("w", encoding="utf-8") as json_file,
    ):
        writer = csv.DictWriter(csv_file, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        # JSON as Frictionless's array of arrays, the header first: an empty table stays a
        # valid table (an empty list of objects has no columns to check).
        json_file.write("[\n" + json.dumps(names, ensure_ascii=False))
        for row in ROWS[table.name]():
            writer.writerow(row)
            text = json.dumps([row[n] for n in names], ensure_ascii=False)
            json_file.write(",\n" + text)
            if "accession" in row:
                hashes.setdefault(row["accession"], hashlib.sha256()).update(text.encode())
        json_file.write("\n]\n")
    return [_resource(table, csv_path, "csv"), _resource(table, json_path, "json")]


def _resource(table: Table, path: Path, fmt: str) -> dict:
    out = {
        "name": table.name if fmt == "csv" else f"{table.name}-json",
        "path": path.name,
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else "application/json",
        "encoding": "utf-8",
        "profile": "tabular-data-resource",
        "title": table.title_vi + (" (JSON)" if fmt == "json" else ""),
        "x-title-en": table.title_en + (" (JSON)" if fmt == "json" else ""),
        "schema": table.schema(),
    }
    if fmt == "csv":  # frictionless checks size and hash of text files only (not parsed JSON)
        out["bytes"] = path.stat().st_size
        out["hash"] = f"sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}"
    return out


def write_package(folder: Path) -> Path:
    """Write the whole package into ``folder`` (created if missing); returns the path of
    ``datapackage.json``."""
    from frictionless import Package

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, hashlib._Hash] = {}
    resources = []
    for table in TABLES:
        resources += _write_table(folder, table, hashes)
    descriptor = {
        "name": "di-san-so-open-data",
        "title": "Di Sản Số — dữ liệu mở về di sản văn hoá các dân tộc thiểu số Việt Nam",
        "x-title-en": "Di Sản Số — open data on the heritage of Vietnam's ethnic minorities",
        "description": (
            "Siêu dữ liệu công khai của kho lưu trữ: hồ sơ, dân tộc, địa danh, bộ sưu tập, "
            "tóm tắt tư liệu và độ bao phủ. Tiêu đề và mô tả trường bằng tiếng Việt; "
            "x-title-en và x-description-en bằng tiếng Anh."
        ),
        "x-description-en": (
            "The archive's public metadata: records, ethnic groups, places, collections, a "
            "media summary and coverage. Field titles and descriptions are Vietnamese; "
            "x-title-en and x-description-en are English."
        ),
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "licenses": [licence()],
        "resources": resources,
    }
    package = Package.from_descriptor(descriptor, basepath=str(folder))
    path = folder / "datapackage.json"
    path.write_text(package.to_json(), encoding="utf-8")
    (folder / HASHES).write_text(
        json.dumps({k: h.hexdigest() for k, h in sorted(hashes.items())}), encoding="utf-8"
    )
    return path


def package_files(folder: Path) -> list[str]:
    """The files a package publishes (the hashes are the changelog's, not the public's)."""
    descriptor = json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))
    return ["datapackage.json", *(r["path"] for r in descriptor["resources"])]


def zip_package(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in package_files(folder):
            archive.write(Path(folder) / name, arcname=name)
    return target

"""Reference data every deployment needs: the 54 ethnic groups and the provinces.

Read from the CSVs shipped in ``archive/reference`` (copied, with sources, from the product
team's research); loading is idempotent and keyed on official codes. Production loads it
with ``manage.py load_reference_data``; the demo archive (``demo/``) loads it first too.
"""

import csv
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ..models import EthnicGroup, FormerProvince, Province
from .slugs import ascii_slug

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"


def read_csv(name: str, directory: Path = REFERENCE_DIR) -> list[dict[str, str]]:
    with open(directory / name, encoding="utf-8", newline="") as handle:
        return [
            {k: unicodedata.normalize("NFC", (v or "").strip()) for k, v in row.items()}
            for row in csv.DictReader(handle)
        ]


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def count(self, changed: bool | None):
        if changed is None:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


def upsert(model, lookup: dict, values: dict) -> tuple[object, bool | None]:
    """Create or update one row; returns (obj, None if created / True if changed / False)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), None
    changed = False
    for key, value in values.items():
        field = model._meta.get_field(key)
        if getattr(obj, key) != (value if field.is_relation else field.to_python(value)):
            setattr(obj, key, value)
            changed = True
    if changed:
        obj.save()
    return obj, changed


def _population(raw: str) -> int | None:
    digits = raw.replace(",", "").replace(".", "").rstrip("?").strip()
    return int(digits) if digits.isdigit() else None


@transaction.atomic
def load_reference_data() -> LoadReport:
    report = LoadReport()
    for row in read_csv("provinces_2025.csv"):
        _, changed = upsert(
            Province,
            {"code": row["code_2025"]},
            {"name": row["name_vi"], "unit_type": row["type"], "slug": ascii_slug(row["name_vi"])},
        )
        report.count(changed)
    current = {p.code: p for p in Province.objects.all()}
    for row in read_csv("provinces.csv"):
        _, changed = upsert(
            FormerProvince,
            {"code": row["old_code"]},
            {"name": row["old_name_vi"], "successor": current[row["new_code_2025"]]},
        )
        report.count(changed)
    for row in read_csv("ethnic_groups.csv"):
        _, changed = upsert(
            EthnicGroup,
            {"code": row["code"]},
            {
                "code_1979": row["code_1979"],
                "slug": ascii_slug(row["name_vi"]),
                "name_vi": row["name_vi"],
                "name_en": row["name_en"],
                "other_names": row["other_names"],
                "language_family": row["language_family"],
                "iso639_3": row["iso639_3"],
                "population_2019": _population(row["population_2019"]),
                "main_regions_vi": row["main_regions"],
                "main_regions_en": row["main_regions"],
            },
        )
        report.count(changed)
    return report

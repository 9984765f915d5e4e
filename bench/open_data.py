"""Open data benchmark: the time to export the full package (search/open_data/) at N records,
against a plain dump of the same record columns to CSV in the same run.

    python bench/open_data.py --n 100000 --repeat 3

Uses its own SQLite database (``/tmp/dss_bench_open_data.sqlite3``; ``--db-path``
overrides). Records are bulk-inserted as real Wagtail pages by ``bench/search.py``'s loader
(the synthetic corpus: public, restricted and closed records, groups, current and former
provinces); a copy of another bench's database made by the same loader saves that step.

Rows: ``export`` is ``write_package`` (every table in CSV and JSON, datapackage.json, the
content hashes), through the anonymous gate; each table is also timed alone (CSV and JSON
written, as in the export); ``publish`` is ``build_version`` (the export, its ZIP and the
changelog against no earlier version), what the task worker runs. ``baseline`` is one
``values_list`` over all records with the records table's own columns (no gate, no
groups/places/subjects/vernacular titles, no JSON), written with ``csv.writer``.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

BASE_COLUMNS = (
    "accession_number",
    "title",
    "title_en",
    "summary",
    "summary_en",
    "locality",
    "date_year",
    "date_month",
    "date_day",
    "rights_statement",
    "licence",
    "last_published_at",
)


def configure(path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "heritage.settings.testing"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()


def baseline(folder: Path) -> tuple[float, int]:
    from archive.models import RecordPage

    started = time.perf_counter()
    rows = 0
    with (folder / "baseline.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(BASE_COLUMNS)
        for row in RecordPage.objects.values_list(*BASE_COLUMNS).iterator(chunk_size=2000):
            writer.writerow(row)
            rows += 1
    return time.perf_counter() - started, rows


def one_table(folder: Path, table) -> float:
    import hashlib

    from search.open_data.package import _write_table

    started = time.perf_counter()
    hashes: dict[str, hashlib._Hash] = {}
    _write_table(folder, table, hashes)
    return time.perf_counter() - started


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--db-path", type=Path, default=Path("/tmp/dss_bench_open_data.sqlite3"))
    args = ap.parse_args(argv)

    configure(args.db_path)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from bench.search import load
    from search.open_data.fields import TABLES
    from search.open_data.package import write_package
    from search.open_data.rows import public_records

    started = time.perf_counter()
    inserted = load(args.n, args.seed)
    load_s = time.perf_counter() - started
    public = public_records().count()
    print(f"records: {args.n} (inserted now: {inserted}, {load_s:.0f} s); public: {public}")

    with tempfile.TemporaryDirectory(prefix="dss-bench-open-data-") as tmp:
        folder = Path(tmp)
        # Interleaved repeats, medians: the machine is shared, and a lone run says little.
        base, export = [], []
        for _ in range(args.repeat):
            seconds, base_rows = baseline(folder)
            base.append(seconds)
            started = time.perf_counter()
            write_package(folder / "package")
            export.append(time.perf_counter() - started)
        base_s, export_s = statistics.median(base), statistics.median(export)
        size = sum(p.stat().st_size for p in (folder / "package").iterdir())
        tables = [(t.name, one_table(folder, t)) for t in TABLES]
        from django.test import override_settings

        from search.open_data.publish import build_version

        with override_settings(DSS_OPEN_DATA_DIR=folder / "published"):
            started = time.perf_counter()
            info = build_version()
            publish_s = time.perf_counter() - started

    print()
    runs = ", ".join(f"{b:.1f}/{e:.1f}" for b, e in zip(base, export, strict=True))
    print(f"medians of {args.repeat} interleaved runs (baseline/export s: {runs})")
    print(f"{'step':36} {'seconds':>9} {'vs baseline':>12}")
    print(f"{'baseline: values_list → CSV':36} {base_s:>9.2f} {'1.0x':>12}  ({base_rows} rows)")
    print(f"{'export_dataset (whole package)':36} {export_s:>9.2f} {export_s / base_s:>11.1f}x"
          f"  ({size / 1e6:.1f} MB)")  # fmt: skip
    print(f"{'publish a version (export + ZIP)':36} {publish_s:>9.2f} {publish_s / base_s:>11.1f}x"
          f"  (ZIP {info['zip']['bytes'] / 1e6:.1f} MB)")  # fmt: skip
    for name, seconds in tables:
        print(f"{'  table ' + name:36} {seconds:>9.2f} {seconds / base_s:>11.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

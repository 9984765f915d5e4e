"""Bulk import benchmark: rows per second, and 500 rows with 50 media files, against a
baseline measured in the same run (the same records made directly with the ORM and
Wagtail's page API, as a hand-written script would). Results go in docs/benchmarks.md
"## Bulk import".

    .venv/bin/python bench/import_records.py              # 500 rows, 50 media files
    .venv/bin/python bench/import_records.py --rows 100   # quicker

Builds a throwaway data folder (SQLite) under /tmp with the reference lists and the page
tree; the media are short WAV tones made by ffmpeg (different pitches, so 50 different
files). Media are ingested as an admin upload is (stored, checksummed, probed, processing
queued); the transcoding itself is the worker's and is not timed here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(data_dir: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="heritage.settings.dev",
        DSS_DATA_DIR=str(data_dir),
        DJANGO_LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    import django

    django.setup()


def make_media(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        subprocess.run(
            [
                "ffmpeg",
                "-hide_banner",
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"sine=f={200 + 7 * i}:sample_rate=16000:d=2",
                "-ac",
                "1",
                str(folder / f"tone-{i:03d}.wav"),
            ],
            check=True,
        )
    archive = folder.parent / "media.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.iterdir()):
            out.write(path, path.name)
    return archive


def orm_baseline(rows) -> float:
    """The same records through the ORM and Wagtail directly, no checks, no comparison."""
    from django.db import transaction

    from archive.importing.apply import section_for
    from archive.importing.validate import MODELS
    from archive.models import EthnicGroup, Province
    from archive.services.slugs import ascii_slug

    tay = EthnicGroup.objects.get(name_vi="Tày")
    unit = Province.objects.get(name="Tuyên Quang")
    extra = {"recording": {"language": "tyz", "genre": "song"}, "custom": {"category": "belief"},
             "festival": {"calendar": "lunar", "month": 1, "day_start": 15}}  # fmt: skip
    start = time.perf_counter()
    with transaction.atomic():
        for i, row in enumerate(rows):
            kind = row["record_type"]
            page = MODELS[kind](
                title=row["title_vi"],
                title_vi=row["title_vi"],
                title_en=row["title_en"],
                slug=f"orm-{i}-{ascii_slug(row['title_vi'])}"[:80],
                live=False,
                summary_vi=row["summary_vi"],
                source_identifier="ORM" + row["source_identifier"],
                **extra[kind],
            )
            section_for(kind).add_child(instance=page)
            page.ethnic_groups.set([tay])
            page.provinces.set([unit])
            page.subjects.set(["then", "nhà mới"])
            page.save()
            page.save_revision().publish()
    return time.perf_counter() - start


def timed(label, function, rows, results):
    start = time.perf_counter()
    report = function()
    seconds = time.perf_counter() - start
    results.append((label, rows, seconds, report.counts if report else {}))
    print(f"  {label}: {seconds:.1f} s", flush=True)
    return report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--media", type=int, default=50)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dss-bench-import-"))
    try:
        setup(work / "data")
        from archive.importing.media import ZipMedia
        from archive.importing.service import run_import
        from tests.integration.archive.test_import_sheet import (
            prepare_catalogue,
            sheet_bytes,
            valid_rows,
        )

        prepare_catalogue()  # reference lists, page tree, a protocol and a collection
        archive = make_media(work / "media", args.media)
        rows = valid_rows(args.rows, prefix="B")
        sheet = sheet_bytes(rows, "vi", "xlsx")
        media_rows = valid_rows(args.rows, prefix="M")
        for i in range(args.media):
            media_rows[i * args.rows // args.media]["media"] = f"tone-{i:03d}.wav"
        media_sheet = sheet_bytes(media_rows)
        results = []
        print(f"{args.rows} rows, {args.media} media files ({os.cpu_count()} cores)")
        seconds = orm_baseline(rows)
        results.append(("baseline: ORM + Wagtail directly (create)", args.rows, seconds, {}))
        print(f"  baseline: {seconds:.1f} s", flush=True)
        timed("dry run (new sheet)", lambda: run_import(sheet, "b.xlsx"), args.rows, results)
        timed(
            "import (create)",
            lambda: run_import(sheet, "b.xlsx", dry_run=False),
            args.rows,
            results,
        )
        timed(
            "import again (unchanged)",
            lambda: run_import(sheet, "b.xlsx", dry_run=False),
            args.rows,
            results,
        )
        media = ZipMedia(archive)
        timed(
            f"import with {args.media} media (create + ingest)",
            lambda: run_import(media_sheet, "m.csv", media=media, dry_run=False),
            args.rows,
            results,
        )
        print()
        print("| step | rows | seconds | rows/s | vs baseline | result |")
        print("|---|---:|---:|---:|---:|---|")
        base = results[0][2]
        for label, count, secs, counts in results:
            shown = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
            print(
                f"| {label} | {count} | {secs:.1f} | {count / secs:.1f} | "
                f"{secs / base:.2f}× | {shown} |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

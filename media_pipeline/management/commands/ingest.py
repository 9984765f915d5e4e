import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from media_pipeline.policy import access_policy
from media_pipeline.services.ingest import ingest_file
from media_pipeline.services.processing import process_asset
from media_pipeline.services.report import asset_report


class Command(BaseCommand):
    help = "Ingest media files into the archive (the same code path as the admin upload)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--record", help="accession number of the record to attach to")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="attach to a record that is live (its visitors see the media at once)",
        )
        parser.add_argument("--wait", action="store_true", help="process before returning")
        parser.add_argument("--json", action="store_true", help="one JSON object per file")

    def handle(self, *args, files, record=None, wait=False, json=False, publish=False, **options):
        target = None
        if record:
            target = access_policy().record_by_accession(record)
            if target is None:
                raise CommandError(f"No record with accession number {record}")
            # Linking media is publishing it: on a live record the files show to its
            # visitors as soon as they are processed, with no review in between.
            if target.live and not publish:
                raise CommandError(
                    f"Record {record} is published: its visitors would see these files as "
                    "soon as they are processed. Unpublish it first, or add --publish."
                )
            if not json:
                state = "published, visible at once" if target.live else "not published"
                self.stdout.write(f"Attaching to record {record} ({state}).")
        failed = 0
        for name in files:
            path = Path(name)
            if not path.is_file():
                row = {
                    "file": name,
                    "asset_id": None,
                    "status": "failed",
                    "error": "File not found.",
                    "sha256": None,
                    "kind": None,
                    "duration_s": None,
                    "derivatives": [],
                }
            else:
                with open(path, "rb") as handle:
                    result = ingest_file(handle, path.name, record=target)
                if wait and result.status == "queued":
                    process_asset(result.asset.pk)
                row = asset_report(name, result)
            failed += row["status"] == "failed"
            self.stdout.write(_json_line(row) if json else _human(row))
        if failed:
            raise SystemExit(1)


def _json_line(row) -> str:
    return json.dumps(row, ensure_ascii=False)


def _human(row) -> str:
    line = f"{row['file']}: {row['status']}"
    if row["asset_id"]:
        line += f" (asset {row['asset_id']}, {row['kind']})"
    if row["error"]:
        line += f" – {row['error']}"
    return line

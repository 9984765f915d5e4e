import json

from django.core.management.base import BaseCommand

from media_pipeline.services.fixity import audit


class Command(BaseCommand):
    help = "Re-hash every original; report ok/changed/missing/untracked. Exits 1 on any failure."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, json=False, **options):
        report = audit()
        if json:
            self.stdout.write(
                _dumps(
                    {
                        **report.counts(),
                        "changed_ids": report.changed,
                        "missing_ids": report.missing,
                        "untracked_files": report.untracked,
                    }
                )
            )
        else:
            for key, value in report.counts().items():
                self.stdout.write(f"{key}: {value}")
        if report.failed:
            raise SystemExit(1)


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)

"""manage.py import_records FILE [--media DIR|ZIP] [--dry-run] [--json] [--user USERNAME]"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.importing.media import Refused, media_source
from archive.importing.problems import SheetError
from archive.importing.service import run_import


class Command(BaseCommand):
    help = _("Import records from a CSV or XLSX sheet in the import template.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--media", default="", help=_("A ZIP or a folder of media files."))
        parser.add_argument("--dry-run", action="store_true", help=_("Report, change nothing."))
        parser.add_argument("--json", action="store_true", help=_("Print the report as JSON."))
        parser.add_argument(
            "--user", default="", help=_("Import as this user (their permissions apply).")
        )
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No such user: %(name)s") % {"name": options["user"]})
        try:
            media = media_source(options["media"])
        except Refused as refused:
            raise CommandError(_(refused.what) % refused.params) from refused
        try:
            report = run_import(
                path.read_bytes(), path.name, user=user, media=media, dry_run=options["dry_run"]
            )
        except SheetError as error:
            raise CommandError(error.problem.message(options["lang"])) from error
        finally:
            media.close()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._print(report, options["lang"])
        if report.counts["error"] and not options["dry_run"]:
            raise CommandError(
                _("%(count)s rows were not imported; fix them and import the sheet again.")
                % {"count": report.counts["error"]}
            )

    def _print(self, report, lang):
        labels = {
            "create": _("create"),
            "update": _("update"),
            "unchanged": _("unchanged"),
            "error": _("error"),
        }
        for plan in report.rows:
            changed = f" ({', '.join(plan.changed)})" if plan.status == "update" else ""
            self.stdout.write(f"{plan.number:>5}  {labels[plan.status]:<10} {plan.title}{changed}")
        for problem in report.all_problems:
            self.stdout.write(problem.message(lang))
        counts = ", ".join(f"{labels[k]}: {v}" for k, v in report.counts.items())
        heading = _("Dry run, nothing changed") if report.dry_run else _("Imported")
        self.stdout.write(f"{heading}. {counts}")

"""manage.py export_records FILE [--format csv|xlsx] [--q TEXT] [--type …] [--group …]
[--province …] [--user USERNAME]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.exporting import export_bytes, filtered_records, records_for_export


class Command(BaseCommand):
    help = _("Export records (all, or those matching the filters) in the import template.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="")
        parser.add_argument("--lang", choices=["vi", "en"], default="vi")
        parser.add_argument("--q", default="", help=_("Words in the title or summary."))
        parser.add_argument("--type", default="", choices=["", "festival", "custom", "recording"])
        parser.add_argument("--group", default="", help=_("An ethnic group's slug."))
        parser.add_argument("--province", default="", help=_("A provincial unit's slug."))
        parser.add_argument(
            "--user", default="", help=_("Export what this user may see and export.")
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        fmt = options["format"] or ("csv" if path.suffix.lower() == ".csv" else "xlsx")
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No such user: %(name)s") % {"name": options["user"]})
            records = records_for_export(user)
        else:  # the shell is the archive's own: everything
            from archive.models import RecordPage

            records = RecordPage.objects.all()
        records = filtered_records(
            records,
            q=options["q"],
            kind=options["type"],
            group=options["group"],
            province=options["province"],
        )
        path.write_bytes(export_bytes(records, fmt, options["lang"]))
        self.stdout.write(
            _("%(count)s records written to %(path)s") % {"count": records.count(), "path": path}
        )

"""python manage.py export_bundle FILE [--group SLUG] [--since YYYY-MM-DD]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.exchange.bundles import BundleRefused, export_records

from .harvest import _parse_since


class Command(BaseCommand):
    help = "Write this archive's public records as a signed bundle."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--group", default=None, help="only records of this group (slug)")
        parser.add_argument("--since", default=None, help="only records published since")

    def handle(self, file, group, since, **options):
        try:
            count = export_records(Path(file), group=group, since=_parse_since(since))
        except BundleRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(count)d records signed and written to %(file)s.") % {"count": count, "file": file}
        )

"""python manage.py import_bundle FILE --from PEER"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.exchange.bundles import BundleRefused, import_records


class Command(BaseCommand):
    help = "Check a peer's signed bundle of records and apply it like a harvest."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--from", dest="peer", required=True, help="the sender's label")

    def handle(self, file, peer, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No file at %(file)s.") % {"file": file})
        try:
            applied = import_records(path, peer)
        except BundleRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Bundle from %(peer)s applied: %(created)d new, %(updated)d updated, "
                "%(deleted)d deleted."
            )
            % {
                "peer": peer,
                "created": applied.created,
                "updated": applied.updated,
                "deleted": applied.deleted,
            }
        )

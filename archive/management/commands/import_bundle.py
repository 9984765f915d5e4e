"""python manage.py import_bundle FILE --from PEER"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.exchange.bundles import BundleRefused, bundle_kind, import_records
from archive.exchange.reports import receive_report


class Command(BaseCommand):
    help = "Check a peer's signed bundle: records are applied like a harvest, a report is kept."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--from", dest="peer", required=True, help="the sender's label")

    def handle(self, file, peer, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No file at %(file)s.") % {"file": file})
        try:
            if bundle_kind(path) == "report":
                report = receive_report(path, peer)
                self.stdout.write(
                    _("Report of %(peer)s for %(period)s received.")
                    % {"peer": peer, "period": report.period}
                )
                return
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

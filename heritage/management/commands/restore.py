from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from heritage.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a bag written by `backup` into this empty instance: the database, "
        "byte-identical originals (checked against SHA-256) and uploads; derivatives not in "
        "the bag are queued for processing. After incremental backups, give the full bag "
        "and then each incremental bag, oldest first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "dirs",
            nargs="+",
            metavar="DIR",
            help="the bag's folder; or the full bag followed by its incremental bags",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even though this instance already holds records or originals",
        )

    def handle(self, *args, **options):
        try:
            report = restore(*options["dirs"], force=options["force"])
        except BackupError as exc:
            raise CommandError(_("Restore refused: %(reason)s") % {"reason": exc}) from exc
        self.stdout.write(
            _(
                "Restored %(originals)s originals (%(verified)s checked against SHA-256) "
                "from %(bags)s bags, %(derivatives)s derivatives; %(queued)s assets queued "
                "for processing."
            )
            % {
                "originals": report.originals,
                "verified": report.verified,
                "bags": report.bags,
                "derivatives": report.derivatives,
                "queued": len(report.queued),
            }
        )

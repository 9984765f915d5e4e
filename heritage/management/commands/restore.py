from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from heritage.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a bag written by `backup` into this empty instance: the database, "
        "byte-identical originals (checked against SHA-256) and uploads; derivatives not in "
        "the bag are queued for processing."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="the bag's folder")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even though this instance already holds records or originals",
        )

    def handle(self, *args, **options):
        try:
            report = restore(options["dir"], force=options["force"])
        except BackupError as exc:
            raise CommandError(_("Restore refused: %(reason)s") % {"reason": exc}) from exc
        self.stdout.write(
            _(
                "Restored %(originals)s originals (%(verified)s checked against SHA-256), "
                "%(derivatives)s derivatives; %(queued)s assets queued for processing."
            )
            % {
                "originals": report.originals,
                "verified": report.verified,
                "derivatives": report.derivatives,
                "queued": len(report.queued),
            }
        )

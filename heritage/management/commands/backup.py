from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from heritage.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a BagIt bag of this instance to DIR: originals, a full database export, the "
        "caption and transcript tracks, uploads and a manifest (derivatives with "
        "--with-derivatives)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="a new or empty folder")
        parser.add_argument(
            "--with-derivatives",
            action="store_true",
            help="also copy the web copies (otherwise they are made again on restore)",
        )

    def handle(self, *args, **options):
        try:
            bag = backup(options["dir"], with_derivatives=options["with_derivatives"])
        except BackupError as exc:
            raise CommandError(_("Backup refused: %(reason)s") % {"reason": exc}) from exc
        self.stdout.write(
            _("Bag written to %(path)s (%(count)s files).")
            % {"path": bag.path, "count": len(bag.payload_entries())}
        )

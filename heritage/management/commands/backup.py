from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from heritage.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a BagIt bag of this instance to DIR: originals, a full database export, the "
        "caption and transcript tracks, uploads and a manifest (derivatives with "
        "--with-derivatives). With --since PREVIOUS, only the originals, uploads and "
        "derivatives PREVIOUS does not hold are copied; the database and manifest are "
        "complete every time."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="a new or empty folder")
        parser.add_argument(
            "--with-derivatives",
            action="store_true",
            help="also copy the web copies (otherwise they are made again on restore)",
        )
        parser.add_argument(
            "--since",
            metavar="PREVIOUS",
            help="an earlier bag (full or incremental): write an incremental bag on top of it",
        )

    def handle(self, *args, **options):
        try:
            made = backup(
                options["dir"],
                with_derivatives=options["with_derivatives"],
                since=options["since"],
            )
        except BackupError as exc:
            raise CommandError(_("Backup refused: %(reason)s") % {"reason": exc}) from exc
        if made.previous:
            self.stdout.write(
                _(
                    "Incremental bag written to %(path)s (%(count)s files, %(originals)s new "
                    "originals), on top of bag %(previous)s."
                )
                % {
                    "path": made.bag.path,
                    "count": len(made.bag.payload_entries()),
                    "originals": made.originals,
                    "previous": made.previous,
                }
            )
        else:
            self.stdout.write(
                _("Bag written to %(path)s (%(count)s files).")
                % {"path": made.bag.path, "count": len(made.bag.payload_entries())}
            )

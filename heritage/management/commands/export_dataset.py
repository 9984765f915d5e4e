"""Write the open data package (search/open_data/) of all public metadata into a folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from search.open_data.package import write_package


class Command(BaseCommand):
    help = _("Write a Frictionless data package of the archive's public metadata into DIR.")

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory, **options):
        folder = Path(directory)
        if folder.exists() and not folder.is_dir():
            raise CommandError(_("%(path)s exists and is not a folder.") % {"path": folder})
        try:
            path = write_package(folder)
        except OSError as error:
            raise CommandError(
                _("Cannot write to %(path)s: %(error)s") % {"path": folder, "error": error}
            ) from error
        self.stdout.write(_("Data package written: %(path)s") % {"path": path})

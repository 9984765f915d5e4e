"""python manage.py publish_reference_data [DIR] [--merged CODE=INTO ...]

Writes this (national) archive's groups and units as a versioned data package, signed
with this archive's key (generate_signing_key), for the provinces to pull with
pull_reference_data. Without DIR it goes to DSS_REFERENCE_DATA_DIR, which the site serves
at /reference-data/ (docs/exchange.md).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.exchange.reference_sync import ReferenceDataError, publish
from archive.models import Province


class Command(BaseCommand):
    help = "Publish the reference data (groups, units, former units) as a data package."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            help="default: DSS_REFERENCE_DATA_DIR, served by the site at /reference-data/",
        )
        parser.add_argument(
            "--merged", action="append", default=[], help="CODE=INTO: unit CODE merged into INTO"
        )

    def handle(self, directory, merged, **options):
        pairs = {}
        for text in merged:
            code, _sep, into = text.partition("=")
            if not Province.objects.filter(code=into).exists() or code == into:
                raise CommandError(
                    _("--merged takes CODE=INTO with INTO an existing unit's code, not “%(t)s”.")
                    % {"t": text}
                )
            pairs[code] = into
        directory = Path(directory or settings.DSS_REFERENCE_DATA_DIR)
        try:
            version = publish(directory, pairs)
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Reference data version %(v)s written to %(d)s.") % {"v": version, "d": directory}
        )

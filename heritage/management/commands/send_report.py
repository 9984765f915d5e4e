"""python manage.py send_report FILE [--period YYYY-MM|YYYY-Qn]

Writes FILE (the signed report bundle for the national archive) and FILE's .csv twin.
Lives in heritage because what was withdrawn is known to search's OAI log and tombstones.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.exchange.bundles import BundleRefused
from archive.exchange.reports import parse_period, write_report
from search.models import OaiRecordLog, Tombstone


def withdrawn_in(period) -> dict[str, int]:
    """Records the public stopped seeing in the period: deleted or withdrawn (tombstones),
    and closed or consent withdrawn while kept (the OAI log marks them not public)."""
    in_period = {"removed_at__gte": period.start, "removed_at__lt": period.end}
    gone = Tombstone.objects.filter(**in_period)
    counts = {reason: gone.filter(reason=reason).count() for reason in ("deleted", "withdrawn")}
    hidden = OaiRecordLog.objects.filter(
        public=False, datestamp__gte=period.start, datestamp__lt=period.end
    ).exclude(accession__in=gone.values("accession"))
    counts["restricted"] = hidden.count()
    return counts


class Command(BaseCommand):
    help = "Write this province's signed periodic report (JSON bundle and CSV)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--period", default=None, help="2026-11 or 2026-Q4 (default: last month)"
        )

    def handle(self, file, period, **options):
        try:
            chosen = parse_period(period)
            bundle, table = write_report(Path(file), chosen, withdrawn_in(chosen))
        except (ValueError, BundleRefused) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Report for %(period)s signed: %(bundle)s (and %(table)s).")
            % {"period": chosen.label, "bundle": bundle, "table": table}
        )

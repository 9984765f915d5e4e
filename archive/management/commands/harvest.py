"""python manage.py harvest SOURCE [--set SPEC] [--since DATE] [--json]"""

import json
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.exchange.harvest import harvest
from archive.models import Peer


class Command(BaseCommand):
    help = "Harvest the public records of a peer archive (incrementally from the last point)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="the peer's label")
        parser.add_argument("--set", dest="set_spec", default=None)
        parser.add_argument("--since", default=None, help="YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, source, set_spec, since, json, **options):
        peer = Peer.objects.filter(label=source).first()
        if peer is None:
            raise CommandError(_("No peer archive is labelled “%(label)s”.") % {"label": source})
        result = harvest(peer, set_spec=set_spec, since=_parse_since(since))
        if json:
            self.stdout.write(_dumps(result.as_dict()))
        else:
            self.stdout.write(result.sentence())
        if not result.complete:
            raise CommandError(result.error)


def _parse_since(text):
    if not text:
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise CommandError(_("--since must be a date like 2026-11-01 or 2026-11-01T08:00:00Z."))


def _dumps(data):
    return json.dumps(data, ensure_ascii=False)

"""Bring the OAI-PMH log up to date with every record (search/oai/log.py).

Run it once after upgrading to a version with OAI-PMH (records published before have no
log row yet), after imports that write with bulk updates, and when seasonal protocols or
expiry dates changed what the public sees (signals follow every other change)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from search.oai.log import refresh_all


class Command(BaseCommand):
    help = "Bring the OAI-PMH log (what harvesters see) up to date with every record."

    def handle(self, *args, **options):
        count = refresh_all()
        self.stdout.write(_("OAI-PMH log checked for %(count)d records.") % {"count": count})

"""python manage.py generate_signing_key: write this instance's Ed25519 key pair."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.exchange.bundles import generate_key_pair


class Command(BaseCommand):
    help = "Write this archive's signing key (DSS_SIGNING_KEY_FILE) and print its public key."

    def handle(self, **options):
        path = Path(settings.DSS_SIGNING_KEY_FILE)
        if path.exists():
            # Replacing a key silently would make every peer refuse our bundles.
            raise CommandError(
                _("A signing key already exists at %(path)s; remove it first to replace it.")
                % {"path": path}
            )
        public = generate_key_pair(path)
        self.stdout.write(_("Signing key written to %(path)s.") % {"path": path})
        self.stdout.write(_("Public key (register it at each peer):"))
        self.stdout.write(public)

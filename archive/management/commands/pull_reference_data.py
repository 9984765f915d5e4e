"""python manage.py pull_reference_data SOURCE --peer LABEL [--apply]

SOURCE is the national archive's reference data package: a folder, a base URL holding
datapackage.json, or that file's URL. Its signature must be that of the registered peer
LABEL (--unsigned reads a package without checking, explicitly). Without --apply only the
differences are shown.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.exchange.reference_sync import (
    ReferenceDataError,
    apply_package,
    diff,
    last_applied,
    read_package,
)


class Command(BaseCommand):
    help = "Show (and with --apply, apply) the national reference data: groups and units."

    def add_arguments(self, parser):
        parser.add_argument("source", help="a folder or base URL with datapackage.json")
        parser.add_argument("--apply", action="store_true", help="apply the changes shown")
        parser.add_argument(
            "--peer", help="the registered peer archive whose key must have signed it"
        )
        parser.add_argument(
            "--unsigned",
            action="store_true",
            help="read it without checking a signature (only for a source you trust)",
        )

    def handle(self, source, apply, peer, unsigned, **options):
        if bool(peer) == unsigned:
            raise CommandError(
                _(
                    "Say whose signature the package must carry (--peer LABEL, a registered "
                    "peer archive with its public key), or read it unchecked with --unsigned."
                )
            )
        try:
            package = read_package(source, peer=peer)
            changes = apply_package(package) if apply else diff(package)
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        for change in changes.changes:
            self.stdout.write(change.sentence())
        if not changes.changes:
            self.stdout.write(
                _("Reference data is up to date (version %(v)s).") % {"v": package.version}
            )
        elif apply:
            self.stdout.write(
                _("%(n)d changes applied (version %(v)s).")
                % {"n": len(changes.changes), "v": package.version}
            )
        else:
            self.stdout.write(_("Nothing applied yet: run again with --apply."))
        if not apply:
            self.stdout.write(_last_applied_sentence())


def _last_applied_sentence() -> str:
    """Which version the groups and units here come from, so the diff above has a baseline."""
    last = last_applied()
    if last is None:
        return _("No reference data package has been applied here yet.")
    return _("Last applied here: version %(v)s on %(when)s, from %(source)s.") % {
        "v": last.version,
        "when": timezone.localtime(last.applied_at).strftime("%Y-%m-%d %H:%M"),
        "source": last.source,
    }

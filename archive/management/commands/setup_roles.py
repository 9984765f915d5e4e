from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from archive.services.roles import setup_roles


class Command(BaseCommand):
    help = _(
        "Create the archive's roles (administrators, provincial officers, reviewers, "
        "community liaisons, teachers, registered visitors) with their rights and the review "
        "workflow. Safe to run again."
    )

    def handle(self, *args, **options):
        for line in setup_roles().lines():
            self.stdout.write(line)

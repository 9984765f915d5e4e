from django.core.management.base import BaseCommand

from media_pipeline.services.processing import regenerate_stale


class Command(BaseCommand):
    help = "Mark derivatives made with changed presets as stale and queue them to be remade."

    def handle(self, *args, **options):
        affected = regenerate_stale()
        self.stdout.write(f"{len(affected)} asset(s) had stale derivatives and were queued.")

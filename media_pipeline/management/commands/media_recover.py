from django.core.management.base import BaseCommand

from media_pipeline.services.processing import requeue_abandoned


class Command(BaseCommand):
    help = "Queue again the media jobs of workers that died (expired leases). Run at start-up."

    def handle(self, *args, **options):
        stale = requeue_abandoned()
        self.stdout.write(f"Re-queued {len(stale)} abandoned media job(s).")

from django.core.management.base import BaseCommand

from media_pipeline.services.sweep import requeue_abandoned
from media_pipeline.tasks import ensure_fixity_scheduled


class Command(BaseCommand):
    help = (
        "Queue again the media jobs of workers that died (expired leases) and make sure a "
        "fixity audit is scheduled. Run at start-up; the task worker's scheduled loop "
        "runs the same sweep every DSS_PUBLISHING_INTERVAL_SECONDS."
    )

    def handle(self, *args, **options):
        stale = requeue_abandoned()
        self.stdout.write(f"Re-queued {len(stale)} abandoned media job(s).")
        if ensure_fixity_scheduled():
            self.stdout.write("Scheduled the next fixity audit.")

from django.core.management.base import BaseCommand

from heritage.tasks import ensure_publishing_scheduled


class Command(BaseCommand):
    help = (
        "Make sure the task worker runs Wagtail's publish_scheduled (go-live and expiry) "
        "every DSS_PUBLISHING_INTERVAL_SECONDS. Run at start-up."
    )

    def handle(self, *args, **options):
        if ensure_publishing_scheduled():
            self.stdout.write("Scheduled publishing and expiry checks.")
        else:
            self.stdout.write("Publishing and expiry checks were already scheduled.")

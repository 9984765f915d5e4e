from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.loader import load_demo

REFUSAL = (
    "This is a production configuration (DSS_DEMO_ALLOWED is off), so load_demo will not "
    "create demo accounts with a published password; run it with --force if you really mean to."
)


class Command(BaseCommand):
    help = "Build (or bring up to date) the demo archive. Safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-media", action="store_true", help="skip generating placeholder audio/video"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="load the demo and its accounts even where DSS_DEMO_ALLOWED is off",
        )

    def handle(self, *args, no_media=False, force=False, **options):
        if not (settings.DSS_DEMO_ALLOWED or force):
            raise CommandError(REFUSAL)
        report, accounts = load_demo()
        if not no_media:
            self._media()
        # Searchable the moment the site starts: the reindex tasks queued while loading run
        # later in the worker and find nothing left to change.
        from search.indexing import rebuild

        indexed, _seconds = rebuild()
        self.stdout.write(f"Search index: {indexed} records.")
        self.stdout.write(
            f"Demo archive: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write("Demo accounts for http://127.0.0.1:8000/admin/ :")
        for username, password, role in accounts:
            self.stdout.write(f"  {username} / {password}  ({role})")

    def _media(self):
        import shutil

        if not shutil.which("ffmpeg"):
            self.stdout.write(
                self.style.WARNING(
                    "ffmpeg is missing, so no demo media was generated. "
                    "Install it with: sudo apt-get install -y ffmpeg"
                )
            )
            return
        from demo.media import load_demo_media

        made = load_demo_media()
        self.stdout.write(f"Demo media: {made} new file(s) queued for processing.")

from django.core.management.base import BaseCommand

from archive.services.demo_loader import load_demo


class Command(BaseCommand):
    help = "Build (or bring up to date) the demo archive. Safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-media", action="store_true", help="skip generating placeholder audio/video"
        )

    def handle(self, *args, no_media=False, **options):
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
        from media_pipeline.services.demo_media import load_demo_media

        made = load_demo_media()
        self.stdout.write(f"Demo media: {made} new file(s) queued for processing.")

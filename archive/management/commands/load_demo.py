from django.core.management.base import BaseCommand

from archive.services.demo_loader import load_demo


class Command(BaseCommand):
    help = "Build (or bring up to date) the demo archive. Safe to run repeatedly."

    def handle(self, *args, **options):
        report, accounts = load_demo()
        self.stdout.write(
            f"Demo archive: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write("Demo accounts for http://127.0.0.1:8000/admin/ :")
        for username, password, role in accounts:
            self.stdout.write(f"  {username} / {password}  ({role})")

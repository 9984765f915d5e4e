from django.core.management.base import BaseCommand

from archive.services.reference_data import load_reference_data


class Command(BaseCommand):
    help = (
        "Load (or bring up to date) the reference lists every site needs: the 54 ethnic "
        "groups, the 34 provincial units and the 63 former provinces. Safe to run repeatedly."
    )

    def handle(self, *args, **options):
        report = load_reference_data()
        self.stdout.write(
            f"Reference data: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )

"""Create the shared cache table (``CACHES`` in settings/base.py) so ``migrate`` alone
prepares a fresh clone: the page cache's generation must be shared by every process."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Idempotent: createcachetable skips tables that exist, and does nothing for caches
    # that are not database caches (Redis, or the local-memory cache of the tests).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("heritage", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

"""Vendor-specific full-text structures over search_searchdocument (see search/fulltext.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from search.fulltext import create_schema

    create_schema(schema_editor)


def backwards(apps, schema_editor):
    from search.fulltext import drop_schema

    drop_schema(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

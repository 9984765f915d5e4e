"""Time-coded transcript segments on the index document.

On SQLite, Django adds a column with a Python-side default by rebuilding the table, which
drops the FTS5 triggers that keep ``search_document_fts`` in step (migration 0002). So the
column is added with ``ALTER TABLE … ADD COLUMN`` there, which keeps the table and its
triggers. Any later migration that makes Django rebuild this table must drop and recreate
the full-text schema around it (``search.fulltext.drop_schema`` / ``create_schema``).

Existing documents get an empty list; ``manage.py update_index`` fills it.
"""

from django.db import migrations, models

SQLITE_ADD = (
    "ALTER TABLE search_searchdocument ADD COLUMN segments text NOT NULL DEFAULT '[]' "
    "CHECK ((JSON_VALID(segments) OR segments IS NULL))"
)


def _field():
    field = models.JSONField(blank=True, default=list)
    field.set_attributes_from_name("segments")
    return field


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_ADD)
        return
    schema_editor.add_field(apps.get_model("search", "SearchDocument"), _field())


def remove_column(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ALTER TABLE search_searchdocument DROP COLUMN segments")
        return
    schema_editor.remove_field(apps.get_model("search", "SearchDocument"), _field())


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_speed"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="segments",
                    field=models.JSONField(blank=True, default=list),
                ),
            ],
            database_operations=[migrations.RunPython(add_column, remove_column)],
        ),
    ]

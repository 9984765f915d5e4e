"""Speed: the index-state token for the result cache, and (PostgreSQL) a small title-only
``tsvector`` with its own GIN index for suggestions (see search/fulltext.py)."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from search.fulltext import create_title_schema

    create_title_schema(schema_editor)
    apps.get_model("search", "SearchIndexState").objects.get_or_create(pk=1)


def backwards(apps, schema_editor):
    from search.fulltext import drop_title_schema

    drop_title_schema(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.CreateModel(
            name="SearchIndexState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(default="initial", max_length=32)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]

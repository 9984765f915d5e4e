"""The archive's roles as groups (names are stable codenames, see archive.services.roles).

Their rights and the review workflow are set by ``manage.py setup_roles``: permissions and
the page tree do not exist yet while a fresh database migrates.
"""

from django.db import migrations

ROLE_NAMES = (
    "Administrators",
    "Provincial officers",
    "Reviewers",
    "Community liaison",
    "Teachers",
    "Registered visitors",
)


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0006_source_identifier_unit_assignments"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # Going back leaves the groups: people may already belong to them.
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]

"""The admin site's groups (NAV advisers, Partner staff, Editors, Administrators) with
exactly their permissions, so that a new install has them (portal/accounts/groups.py)."""

from django.db import migrations


def groups_create(apps, schema_editor):
    from portal.accounts.groups import groups_sync

    groups_sync(apps)


class Migration(migrations.Migration):
    # The groups hold permissions on the apps' models, named by label (as the access module
    # names them): the migration runs after theirs.
    dependencies = [
        ("accounts", "0007_membership_confirmed"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0006_photos_in_private_storage"),
        ("partnerships", "0006_agreement_news_articles"),
        ("programmes", "0008_session_limits"),
    ]

    operations = [migrations.RunPython(groups_create, migrations.RunPython.noop)]

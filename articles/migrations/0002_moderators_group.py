"""The "Modérateurs" group: staff who review articles, moderate comments, manage
categories and suspend accounts, with just the permissions that takes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Modérateurs"

# app label -> permission codenames.
PERMISSIONS = {
    "articles": [
        "view_article",
        "change_article",
        "moderate_article",
        "add_category",
        "change_category",
        "view_category",
    ],
    "comments": [
        "view_comment",
        "change_comment",
        "moderate_comment",
        "view_report",
        "change_report",
        "view_moderationsettings",
        "change_moderationsettings",
    ],
    "accounts": ["view_user", "change_user"],
}


def create_group(apps, schema_editor):
    # On a fresh database, permissions are only created after the last migration
    # (post_migrate): create them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codes in PERMISSIONS.items()
        for codename in codes
    )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("accounts", "0001_initial"),
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]

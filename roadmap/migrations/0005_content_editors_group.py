"""The "Editores de contenido" group: full rights on the course content, nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editores de contenido"
CONTENT_MODELS = ["course", "part", "section", "topic", "reference", "resourcegroup", "resource"]


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("roadmap")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="roadmap", content_type__model__in=CONTENT_MODELS
    )
    group.permissions.set(permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("roadmap", "0004_slughistory"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]

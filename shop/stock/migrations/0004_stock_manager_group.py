"""The "Stock manager" role: the stock pages of the dashboard and nothing else."""

from django.db import migrations

GROUP = "Stock manager"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Permissions are otherwise made after migrating (post_migrate): make this one now.
    content_type, _ = ContentType.objects.get_or_create(app_label="stock", model="stockmovement")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="dashboard_access",
        defaults={"name": "Can use the dashboard stock pages"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stock", "0003_dashboard_access_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]

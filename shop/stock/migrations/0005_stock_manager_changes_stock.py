"""The "Stock manager" role changes stock: the permission to add a stock movement.

Stock pages ask for the stock permissions, not bare staff status (issue 14).
"""

from django.db import migrations

GROUP = "Stock manager"


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Permissions are otherwise made after migrating (post_migrate): make this one now.
    content_type, _ = ContentType.objects.get_or_create(app_label="stock", model="stockmovement")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="add_stockmovement",
        defaults={"name": "Can add stock movement"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*group.permissions.filter(codename="add_stockmovement"))


class Migration(migrations.Migration):
    dependencies = [("stock", "0004_stock_manager_group")]

    operations = [migrations.RunPython(grant, revoke)]

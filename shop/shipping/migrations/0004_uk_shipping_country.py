from django.db import migrations

from shop.reference import ensure_uk


def add_uk(apps, schema_editor):
    ensure_uk(apps.get_model("address", "Country"))


class Migration(migrations.Migration):
    """The shop delivers to UK addresses only (STORE.md)."""

    dependencies = [
        ("shipping", "0003_auto_20181115_1953"),
        ("address", "0007_useraddress_code"),
    ]

    operations = [migrations.RunPython(add_uk, migrations.RunPython.noop)]

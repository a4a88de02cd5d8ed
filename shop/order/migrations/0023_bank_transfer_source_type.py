from django.db import migrations

from shop.reference import ensure_bank_transfer


def add_bank_transfer(apps, schema_editor):
    ensure_bank_transfer(apps.get_model("payment", "SourceType"))


class Migration(migrations.Migration):
    """The shop's payment method (STORE.md), there before the first order."""

    dependencies = [
        ("order", "0022_order_status_emails"),
        ("payment", "0005_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(add_bank_transfer, migrations.RunPython.noop)]

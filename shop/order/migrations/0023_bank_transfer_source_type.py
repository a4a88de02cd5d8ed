from django.db import migrations


def add_bank_transfer(apps, schema_editor):
    SourceType = apps.get_model("payment", "SourceType")
    SourceType.objects.get_or_create(code="bank-transfer", defaults={"name": "Bank transfer"})


class Migration(migrations.Migration):
    """The shop's payment method (STORE.md), there before the first order."""

    dependencies = [
        ("order", "0022_order_status_emails"),
        ("payment", "0005_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(add_bank_transfer, migrations.RunPython.noop)]

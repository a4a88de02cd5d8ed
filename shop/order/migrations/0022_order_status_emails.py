from django.db import migrations

from shop.reference import ensure_order_emails


def add_event_types(apps, schema_editor):
    ensure_order_emails(apps.get_model("communication", "CommunicationEventType"))


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("communication", "0004_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(add_event_types, migrations.RunPython.noop)]

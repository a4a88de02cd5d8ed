from django.db import migrations

from shop.reference import ensure_order_emails


def add_event_types(apps, schema_editor):
    ensure_order_emails(apps.get_model("communication", "CommunicationEventType"))


class Migration(migrations.Migration):
    dependencies = [("order", "0023_bank_transfer_source_type")]

    operations = [migrations.RunPython(add_event_types, migrations.RunPython.noop)]

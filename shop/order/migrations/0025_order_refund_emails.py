from django.db import migrations

from shop.reference import ensure_card, ensure_order_emails


def add_rows(apps, schema_editor):
    ensure_card(apps.get_model("payment", "SourceType"))
    ensure_order_emails(apps.get_model("communication", "CommunicationEventType"))


class Migration(migrations.Migration):
    """Card payments' source type; the refund and bank-transfer reminder e-mails."""

    dependencies = [
        ("order", "0024_order_cancelled_email"),
        ("payment", "0006_stripe_checkout_refunds"),
    ]

    operations = [migrations.RunPython(add_rows, migrations.RunPython.noop)]

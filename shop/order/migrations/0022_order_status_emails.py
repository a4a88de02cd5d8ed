from django.db import migrations

EVENT_TYPES = [
    ("ORDER_PAID", "Order paid"),
    ("ORDER_SHIPPED", "Order shipped"),
]


def add_event_types(apps, schema_editor):
    # Rows make the e-mails editable in the dashboard (Communications); their
    # default text is in templates/oscar/communication/emails/.
    CommunicationEventType = apps.get_model("communication", "CommunicationEventType")
    for code, name in EVENT_TYPES:
        CommunicationEventType.objects.get_or_create(
            code=code, defaults={"name": name, "category": "Order related"}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("communication", "0004_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(add_event_types, migrations.RunPython.noop)]

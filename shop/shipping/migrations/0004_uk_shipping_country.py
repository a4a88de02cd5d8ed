from django.db import migrations


def add_uk(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="GB",
        defaults={
            "iso_3166_1_a3": "GBR",
            "iso_3166_1_numeric": "826",
            "printable_name": "United Kingdom",
            "name": "United Kingdom of Great Britain and Northern Ireland",
            "display_order": 0,
            "is_shipping_country": True,
        },
    )


class Migration(migrations.Migration):
    """The shop delivers to UK addresses only (STORE.md)."""

    dependencies = [
        ("shipping", "0003_auto_20181115_1953"),
        ("address", "0007_useraddress_code"),
    ]

    operations = [migrations.RunPython(add_uk, migrations.RunPython.noop)]

"""Stock that existed before the ledger gets one opening "received" movement each,
so that from here on a variant's movements add up to its stock in hand."""

from django.db import migrations


def open_balances(apps, schema_editor):
    StockRecord = apps.get_model("partner", "StockRecord")
    StockMovement = apps.get_model("stock", "StockMovement")
    for record in StockRecord.objects.filter(num_in_stock__gt=0, movements__isnull=True):
        StockMovement.objects.create(
            stockrecord=record,
            quantity=record.num_in_stock,
            reason="received",
            note="Opening balance when the stock ledger started",
        )


class Migration(migrations.Migration):
    dependencies = [("stock", "0001_stock_movement")]

    operations = [migrations.RunPython(open_balances, migrations.RunPython.noop)]

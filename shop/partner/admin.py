from django.contrib import admin
from oscar.apps.partner.admin import *
from oscar.apps.partner.admin import StockRecordAdmin as OscarStockRecordAdmin
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


class StockRecordAdmin(OscarStockRecordAdmin):
    """Stock levels are shown, never edited here: they change on the Stock page,
    where every change is a movement in the ledger."""

    readonly_fields = ("num_in_stock", "num_allocated")

    def save_model(self, request, obj, form, change):
        # Only what the form changed: saving the whole row would write back the
        # stock levels as they were read, over an order placed meanwhile.
        if change:
            obj.save(update_fields=form.changed_data)
        else:
            super().save_model(request, obj, form, change)


admin.site.unregister(StockRecord)
admin.site.register(StockRecord, StockRecordAdmin)

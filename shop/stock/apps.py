from shop.dashboard.pages import DashboardPagesConfig


class StockConfig(DashboardPagesConfig):
    """The stock ledger and its staff pages, mounted at /dashboard/stock/ (shop/urls.py)."""

    name = "shop.stock"
    label = "stock"
    verbose_name = "Stock"
    namespace = "stock-dashboard"
    # Staff or not, the stock permissions: reading needs dashboard_access,
    # changing stock also add_stockmovement (views.py). The "Stock manager"
    # group holds both and nothing else; superusers hold every permission.
    default_permissions = ["stock.dashboard_access"]
    url_prefix = "stock"
    pages = (
        ("", "StockListView", "stock-list"),
        ("<int:pk>/", "StockRecordView", "stock-detail"),
        ("export/stock.csv", "StockExportView", "stock-export"),
        ("export/movements.csv", "MovementExportView", "movement-export"),
        ("stocktake/", "StocktakeView", "stocktake"),
        ("stocktake/confirm/", "StocktakeConfirmView", "stocktake-confirm"),
    )

    def ready(self):
        super().ready()
        from django.db.models.signals import post_migrate

        from shop.stock import guard

        guard.connect()
        # After every migrate: SQLite drops a table's triggers when it rebuilds it.
        post_migrate.connect(guard.install_trigger, sender=self)
        _one_low_stock_rule()


def _one_low_stock_rule():
    """Low-stock alerts follow the shop's one rule (`shop.partner.models.is_low_stock`).

    Oscar's own receiver re-checks on every stock record save with its
    "below the threshold" rule, and would close an alert ours just opened. The
    stock services check on every stock change; a save (a threshold edited in
    the product form) re-checks through the same function.
    """
    from django.db.models.signals import post_save
    from oscar.apps.partner import receivers
    from oscar.core.loading import get_model

    from shop.stock.alerts import low_stock_alert_sync

    stockrecord = get_model("partner", "StockRecord")

    def sync_after_save(sender, instance, created, raw=False, **kwargs):
        # A new record is empty until its first receipt (a stock service, which
        # checks then): no alert for the moment in between.
        if not (raw or created):
            low_stock_alert_sync(stockrecord_id=instance.pk)

    post_save.disconnect(receivers.update_stock_alerts, sender=stockrecord)
    post_save.connect(sync_after_save, sender=stockrecord, weak=False, dispatch_uid="stock-alerts")

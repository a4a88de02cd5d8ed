from django.urls import path
from oscar.core.application import OscarDashboardConfig


class StockConfig(OscarDashboardConfig):
    """The stock ledger and its staff pages, mounted at /dashboard/stock/ (shop/urls.py)."""

    name = "shop.stock"
    label = "stock"
    verbose_name = "Stock"
    namespace = "stock-dashboard"
    # Full staff, or a "Stock manager" (not staff: Oscar's own dashboard pages
    # let in every staff user, so that role holds only this permission).
    default_permissions = (["is_staff"], ["stock.dashboard_access"])

    def ready(self):
        super().ready()
        _lock_stock_in_the_product_form()

    def get_urls(self):
        from shop.stock import views

        return self.post_process_urls(
            [
                path("", views.StockListView.as_view(), name="stock-list"),
                path("<int:pk>/", views.StockRecordView.as_view(), name="stock-detail"),
                path("export/stock.csv", views.StockExportView.as_view(), name="stock-export"),
                path(
                    "export/movements.csv",
                    views.MovementExportView.as_view(),
                    name="movement-export",
                ),
                path("stocktake/", views.StocktakeView.as_view(), name="stocktake"),
                path(
                    "stocktake/confirm/",
                    views.StocktakeConfirmView.as_view(),
                    name="stocktake-confirm",
                ),
            ]
        )


def _lock_stock_in_the_product_form():
    """Oscar's product form edits num_in_stock directly, which would bypass the ledger.

    Its stock field is shown read-only there, pointing to the Stock page; a
    disabled field keeps its stored value whatever is posted. (A patch of the
    form's __init__ rather than a fork of Oscar's whole catalogue dashboard.)
    """
    from oscar.core.loading import get_class

    form_class = get_class("dashboard.catalogue.formsets", "StockRecordFormSet").form
    if getattr(form_class, "_stock_locked", False):
        return
    original_init = form_class.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        field = self.fields.get("num_in_stock")
        if field is not None:
            field.disabled = True
            field.required = False
            field.help_text = "Change stock on the Stock page: every change there is recorded."

    form_class.__init__ = __init__
    form_class._stock_locked = True

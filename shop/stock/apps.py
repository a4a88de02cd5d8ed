from django.urls import path
from oscar.core.application import OscarDashboardConfig


class StockConfig(OscarDashboardConfig):
    """The stock ledger and its staff pages, mounted at /dashboard/stock/ (shop/urls.py)."""

    name = "shop.stock"
    label = "stock"
    verbose_name = "Stock"
    namespace = "stock-dashboard"
    default_permissions = ["is_staff"]

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

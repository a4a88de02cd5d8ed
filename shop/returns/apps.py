from django.urls import path
from oscar.core.application import OscarDashboardConfig


class ReturnsConfig(OscarDashboardConfig):
    """Customers cancel or return their orders online; staff see the requests and the
    refunds to make at /dashboard/returns/ (shop/urls.py)."""

    name = "shop.returns"
    label = "returns"
    verbose_name = "Returns"
    namespace = "returns-dashboard"
    default_permissions = ["is_staff"]

    def get_urls(self):
        from shop.returns import views

        return self.post_process_urls(
            [
                path("", views.ReturnRequestListView.as_view(), name="request-list"),
                path("refunds/", views.RefundListView.as_view(), name="refund-list"),
                path("refunds/<int:pk>/done/", views.RefundDoneView.as_view(), name="refund-done"),
            ]
        )

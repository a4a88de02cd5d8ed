from shop.dashboard.pages import DashboardPagesConfig


class ReturnsConfig(DashboardPagesConfig):
    """Customers cancel or return their orders online; staff see the requests and the
    refunds to make at /dashboard/returns/ (shop/urls.py)."""

    name = "shop.returns"
    label = "returns"
    verbose_name = "Returns"
    namespace = "returns-dashboard"
    default_permissions = ["is_staff"]

    url_prefix = "returns"
    pages = (
        ("", "ReturnRequestListView", "request-list"),
        ("refunds/", "RefundListView", "refund-list"),
        ("refunds/<int:pk>/done/", "RefundDoneView", "refund-done"),
    )

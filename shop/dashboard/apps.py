import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard; its index also lets in stock managers, to send them on (views.py)."""

    name = "shop.dashboard"

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map["index"] = (*self.permissions_map["index"], ["stock.dashboard_access"])

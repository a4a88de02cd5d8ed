import oscar.apps.dashboard.catalogue.apps as apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard; its stock record form shows stock read-only (forms.py)."""

    name = "shop.dashboard.catalogue"

import oscar.apps.dashboard.partners.apps as apps


class PartnersDashboardConfig(apps.PartnersDashboardConfig):
    """Oscar's partners dashboard; linking a user to a partner is a POST only (views.py)."""

    name = "shop.dashboard.partners"

    def ready(self):
        super().ready()
        # Named directly: get_class("dashboard.partners.views") finds this fork
        # only while the whole dashboard app is forked too.
        from shop.dashboard.partners.views import PartnerUserLinkView

        self.user_link_view = PartnerUserLinkView

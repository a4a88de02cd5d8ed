from django.utils.translation import gettext as _
from oscar.apps.dashboard.orders import views

from shop.spreadsheet import spreadsheet_safe


class OrderListView(views.OrderListView):
    """Oscar's order list, whose CSV download passed names and e-mails through as typed."""

    def get_row_values(self, order):
        return {
            column: spreadsheet_safe(value)
            for column, value in super().get_row_values(order).items()
        }


class OrderDetailView(views.OrderDetailView):
    """Oscar's order page without line status changes: a line's status is its order's
    (settings.OSCAR_LINE_STATUS_PIPELINE, shop/order/processing.py), so the page offers
    none (templates/oscar/dashboard/orders/order_detail.html) and refuses a posted one."""

    def handle_line_action(self, request, order, action):
        if action == "change_line_statuses":
            return self.reload_page(
                error=_("A line's status follows its order's: change the order's status instead.")
            )
        return super().handle_line_action(request, order, action)

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
    """Oscar's order page, where an order moves only by its status.

    Its lines follow it (settings.OSCAR_LINE_STATUS_PIPELINE), shipping is the status
    Shipped (the stock taken out), payment the status Paid or Stripe's word (the
    sources debited) and refunds have their form (shop/payment). Oscar's line
    actions (a line's status, a shipping or payment event for chosen lines) and its
    order payment event recorded events beside those services: the page offers none
    (templates/oscar/dashboard/orders/order_detail.html) and refuses them posted.
    """

    def handle_line_action(self, request, order, action):
        return self.reload_page(
            error=_(
                "An order's lines move with the order: change the order's status "
                "(Paid, Shipped, Cancelled), or refund jars below."
            )
        )

    def handle_order_action(self, request, order, action):
        if action == "create_order_payment_event":
            return self.reload_page(
                error=_(
                    "Payments are recorded by changing the order's status to Paid "
                    "(or by Stripe), and refunds with the refund form."
                )
            )
        return super().handle_order_action(request, order, action)

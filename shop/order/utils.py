from oscar.apps.order import utils
from oscar.apps.order.utils import *  # noqa: F403 (Oscar's names stay importable from here)

from shop.stock.services import stock_allocate


class OrderCreator(utils.OrderCreator):
    def update_stock_records(self, line):
        """Hold the jars for the order, or fail the whole placement (nothing is kept)."""
        if line.product.get_product_class().track_stock:
            stock_allocate(stockrecord=line.stockrecord, quantity=line.quantity)


class OrderDispatcher(utils.OrderDispatcher):
    ORDER_PAID_EVENT_CODE = "ORDER_PAID"
    ORDER_SHIPPED_EVENT_CODE = "ORDER_SHIPPED"

    def send_order_status_email(self, order, event_code, extra_context):
        messages = self.dispatcher.get_messages(event_code, extra_context)
        self.dispatch_order_messages(order, messages, event_code)

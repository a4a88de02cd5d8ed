from oscar.apps.order import utils
from oscar.apps.order.utils import *  # noqa: F403 (Oscar's names stay importable from here)

from shop.stock.services import stock_allocate_basket


class OrderCreator(utils.OrderCreator):
    def create_order_model(self, user, basket, *args, **kwargs):
        # The first step of Oscar's place_order, inside its transaction: the
        # whole basket's stock is held first, or nothing is placed.
        stock_allocate_basket(lines=basket.all_lines())
        return super().create_order_model(user, basket, *args, **kwargs)

    def update_stock_records(self, line):
        """Done for the whole basket, in stock-record order, by create_order_model."""


class OrderDispatcher(utils.OrderDispatcher):
    ORDER_PAID_EVENT_CODE = "ORDER_PAID"
    ORDER_SHIPPED_EVENT_CODE = "ORDER_SHIPPED"
    ORDER_CANCELLED_EVENT_CODE = "ORDER_CANCELLED"

    def send_order_status_email(self, order, event_code, extra_context):
        messages = self.dispatcher.get_messages(event_code, extra_context)
        self.dispatch_order_messages(order, messages, event_code)

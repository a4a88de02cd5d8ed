"""The Oscar release the shop's forks were written against."""

import oscar


def test_oscar_is_the_release_the_forks_extend():
    """A new Oscar changes this number. Before moving the pin, re-check what we extend:

    - OrderCreator.place_order still calls create_order_model first inside its
      transaction, and update_stock_records once per line (shop/order/utils.py:
      the basket's stock is held in create_order_model).
    - OrderDetailView still dispatches posted actions through handle_line_action and
      handle_order_action (our fork refuses every line action and the order payment
      event), its template's line_actions block still holds them all (ours is empty),
      and Order.set_status still cascades only through OSCAR_ORDER_STATUS_CASCADE
      (settings: lines follow their order); EventHandler.handle_shipping_event is
      still where a shipping event starts (shop/order/processing.py refuses it too).
    - BasketAddView.post still fetches its product from self.product_model, and
      BasketMiddleware.apply_offers_to_basket is still the one place offers are
      applied (shop/basket/).
    - CheckoutSessionData's private methods (shop/checkout/utils.py), and
      ThankYouView.get_object still returning the order or None.
    - The dashboard forks: IndexView, DashboardConfig.configure_permissions and
      the catalogue StockRecordForm's fields (shop/dashboard/).
    - StockRecord.allocate/consume_allocation/cancel_allocation are still not
      called by anything we use (the database would refuse them, shop/stock/guard.py).
    - New migrations of the forked apps: copy them with oscar_fork_app's files.
    """
    assert oscar.VERSION[:3] == (4, 2, 1)

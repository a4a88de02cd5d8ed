from decimal import Decimal as D

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from oscar.apps.order import utils
from oscar.apps.order.signals import order_placed
from oscar.apps.order.utils import *  # noqa: F403 (Oscar's names stay importable from here)

from shop.stock.services import stock_allocate


def remember_related(instance, name: str, objects: list) -> None:
    """Make `instance.<name>.all()` answer with `objects`, as prefetch_related does."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    instance._prefetched_objects_cache = {
        **getattr(instance, "_prefetched_objects_cache", {}),
        name: queryset,
    }


class OrderCreator(utils.OrderCreator):
    def place_order(
        self,
        basket,
        total,
        shipping_method,
        shipping_charge,
        user=None,
        shipping_address=None,
        billing_address=None,
        order_number=None,
        status=None,
        request=None,
        surcharges=None,
        **kwargs,
    ):
        """Oscar's, less three queries that guard nothing here.

        Oscar first asks whether an order with this number exists: the number
        is the basket's, checkout holds the basket's row lock while it places
        the order and refuses a submitted basket, and the unique index on the
        number stands behind both. Oscar also wraps the work in a savepoint
        (two statements): `savepoint=False` still makes it one transaction when
        called outside one, and inside checkout's request transaction a failure
        rolls back the whole attempt (see PaymentDetailsView).
        """
        if basket.is_empty:
            raise ValueError(_("Empty baskets cannot be submitted"))
        if not order_number:
            order_number = OrderNumberGenerator().order_number(basket)  # noqa: F405
        if not status and hasattr(settings, "OSCAR_INITIAL_ORDER_STATUS"):
            status = settings.OSCAR_INITIAL_ORDER_STATUS

        with transaction.atomic(savepoint=False):
            kwargs["surcharges"] = surcharges
            order = self.create_order_model(
                user,
                basket,
                shipping_address,
                shipping_method,
                shipping_charge,
                billing_address,
                total,
                order_number,
                status,
                request,
                **kwargs,
            )
            for voucher in basket.vouchers.select_for_update():
                if not voucher.is_active():  # basket ignores inactive vouchers
                    basket.vouchers.remove(voucher)
                else:
                    available_to_user, msg = voucher.is_available_to_user(user=user)
                    if not available_to_user:
                        raise ValueError(msg)

            for application in basket.offer_applications:
                application["message"] = application["offer"].apply_deferred_benefit(
                    basket, order, application
                )
                if application["result"].affects_shipping:
                    shipping_discount = shipping_method.discount(basket)
                    if shipping_discount <= D("0.00"):
                        continue
                    application["discount"] = shipping_discount
                self.create_discount_model(order, application)
                self.record_discount(application)

            for voucher in basket.vouchers.all():
                self.record_voucher_usage(order, voucher, user)

            lines = [self.create_line_models(order, line) for line in basket.all_lines()]

            # Stock-record order, so that concurrent placements take the row
            # locks in the same order and cannot deadlock.
            for line in sorted(basket.all_lines(), key=lambda line: line.stockrecord_id):
                self.update_stock_records(line)

        # The order's lines and surcharges are the ones just written: the
        # e-mail and the signal's receivers read them from here, as if
        # prefetched, rather than from the database again.
        remember_related(order, "lines", lines)
        if not surcharges:
            remember_related(order, "surcharges", [])
        order_placed.send(sender=self, order=order, user=user)
        return order

    def update_stock_records(self, line):
        """Hold the jars for the order, or fail the whole placement (nothing is kept)."""
        if line.product.get_product_class().track_stock:
            stock_allocate(stockrecord=line.stockrecord, quantity=line.quantity)


class OrderDispatcher(utils.OrderDispatcher):
    ORDER_PAID_EVENT_CODE = "ORDER_PAID"
    ORDER_SHIPPED_EVENT_CODE = "ORDER_SHIPPED"
    ORDER_CANCELLED_EVENT_CODE = "ORDER_CANCELLED"

    def send_order_status_email(self, order, event_code, extra_context):
        messages = self.dispatcher.get_messages(event_code, extra_context)
        self.dispatch_order_messages(order, messages, event_code)

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.order import processing
from oscar.apps.order.exceptions import InvalidOrderStatus, InvalidShippingEvent
from oscar.apps.payment.exceptions import PaymentError
from oscar.core.loading import get_class, get_model

from shop.mail.services import email_event
from shop.order.emails import order_message_context
from shop.order.status import CANCELLED, PAID, PENDING_PAYMENT, SHIPPED
from shop.stock.services import StockError, stock_consume, stock_release

Order = get_model("order", "Order")
PaymentEventType = get_model("order", "PaymentEventType")
ShippingEventType = get_model("order", "ShippingEventType")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")


def holds_stock(line) -> bool:
    """Placing the order allocated stock for this line and it is still held."""
    return bool(
        line.stockrecord_id
        and line.num_allocated
        and not line.allocation_cancelled
        and line.product_id
        and line.product.get_product_class().track_stock
    )


class EventHandler(processing.EventHandler):
    """Staff move an order along Pending payment → Paid → Shipped, or Cancel it.

    Shipping consumes the stock held for the order; cancelling gives it back.
    The order row is locked, so two staff clicking at once cannot ship twice.
    The customer is e-mailed when the order is paid and when it ships, after
    the change is committed.
    """

    def handle_order_status_change(self, order, new_status, note_msg=None):
        try:
            self.change_status(order, new_status, note_msg=note_msg)
        except StockError as exc:
            # Oscar's dashboard shows PaymentError messages to staff instead of failing.
            raise PaymentError(_("the stock numbers do not allow it (%s)") % exc) from exc
        except InvalidOrderStatus as exc:
            # Two staff changing the same order at once: the second finds it moved on.
            # Oscar's bulk status change catches only PaymentError.
            raise PaymentError(_("the order's status has changed meanwhile (%s)") % exc) from exc

    def handle_shipping_event(self, order, event_type, lines, line_quantities, **kwargs):
        # Oscar's order page records shipping events for chosen lines; here
        # shipping is the order's status change, which takes its stock out.
        raise InvalidShippingEvent(_("ship the order by changing its status to Shipped"))

    def change_status(
        self, order, new_status, *, note_msg=None, reference=None, expire_payment_page=True
    ):
        """The one way an order changes status, for staff and for the shop's own services
        (a card payment confirmed, an unpaid order expired). `reference` is the payment's
        (Stripe's payment intent); without one, the order number (a bank transfer's).
        `expire_payment_page=False`: Stripe itself ended the payment page (its session
        expired or failed), so cancelling asks Stripe nothing more.
        Raises StockError and InvalidOrderStatus."""
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            old_status = locked.status
            locked.set_status(new_status)  # refuses moves the pipeline does not allow
            # A line's status is its order's (no line moves on its own: settings).
            locked.lines.update(status=new_status)
            lines = list(
                locked.lines.select_related(
                    "stockrecord", "product__parent__product_class", "product__product_class"
                )
            )
            if new_status == SHIPPED:
                for line in lines:
                    if holds_stock(line):
                        stock_consume(
                            stockrecord=line.stockrecord,
                            quantity=line.num_allocated,
                            order_line=line,
                            user=self.user if self.user and self.user.is_authenticated else None,
                        )
                        line.num_allocated = 0
                        line.save(update_fields=["num_allocated"])
                self.create_shipping_event(
                    locked,
                    ShippingEventType.objects.get_or_create(name=_("Shipped"))[0],
                    lines,
                    [line.quantity for line in lines],
                )
            elif new_status == CANCELLED and old_status != SHIPPED:
                # Its Stripe page may still take a payment.
                if old_status == PENDING_PAYMENT and expire_payment_page:
                    self.expire_payment_page(locked)
                for line in lines:
                    if holds_stock(line):
                        stock_release(stockrecord=line.stockrecord, quantity=line.num_allocated)
                        line.num_allocated = 0
                        line.allocation_cancelled = True
                        line.save(update_fields=["num_allocated", "allocation_cancelled"])
            elif new_status == PAID:
                reference = reference or locked.number
                sources = list(locked.sources.select_related("source_type"))
                # "Paid by card", "Paid by bank transfer": the way the shopper chose.
                method = sources[0].source_type.name if sources else _("Bank transfer")
                self.create_payment_event(
                    locked,
                    PaymentEventType.objects.get_or_create(
                        name=_("Paid by %(method)s") % {"method": method.lower()}
                    )[0],
                    locked.total_incl_tax,
                    lines,
                    [line.quantity for line in lines],
                    reference=reference,
                )
                for source in sources:
                    if source.reference != reference:
                        source.reference = reference
                        source.save(update_fields=["reference"])
                    source.debit(
                        source.amount_allocated - source.amount_debited, reference=reference
                    )
            self.create_note(
                locked,
                note_msg
                or _("Status changed from %(old)s to %(new)s")
                % {"old": old_status, "new": new_status},
            )
            code = {
                PAID: OrderDispatcher.ORDER_PAID_EVENT_CODE,
                SHIPPED: OrderDispatcher.ORDER_SHIPPED_EVENT_CODE,
                CANCELLED: OrderDispatcher.ORDER_CANCELLED_EVENT_CODE,
            }.get(new_status)
            if code:
                # Queued in this transaction: sent by the worker once the change is committed.
                self.send_status_email(locked, code)
        order.refresh_from_db()

    def expire_payment_page(self, order):
        """An unpaid card order cancelled while its Stripe page may still be open (staff):
        the page is expired by the task worker, queued in this transaction, so the shopper
        cannot pay for a cancelled order. Stripe's own word (the session expired or failed)
        needs nothing more, and asking again changes nothing (shop/payment/services.py)."""
        from shop.payment.models import OrderPayment
        from shop.payment.tasks import expire_card_session

        if (
            OrderPayment.objects.filter(order=order, method=OrderPayment.Method.CARD)
            .exclude(session_id="")
            .exists()
        ):
            expire_card_session.enqueue(order.number)

    def send_status_email(self, order, code):
        with email_event(code, order.number):
            OrderDispatcher().send_order_status_email(order, code, order_message_context(order))

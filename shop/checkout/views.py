"""Checkout with payment by bank transfer.

Oscar's flow (gateway → address → delivery → preview → place order → thank
you), with the payment steps replaced: there is no card, so the preview shows
the bank transfer and "Place order" places the order as "Pending payment",
holding its stock. Staff mark it paid in the dashboard.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from oscar.apps.checkout import views
from oscar.core.loading import get_class, get_model

from shop.mail.services import email_event
from shop.order.emails import payment_context
from shop.reference import ensure_bank_transfer
from shop.stock.services import InsufficientStock

logger = logging.getLogger(__name__)

Basket = get_model("basket", "Basket")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")
Line = get_model("order", "Line")
Order = get_model("order", "Order")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")


# The steps before the preview read the basket and write only the session,
# which Django saves after the request's transaction in any case: the
# transaction ATOMIC_REQUESTS opens for them is two statements that guard
# nothing. A signed-in customer's basket merge still runs in one transaction
# (shop.basket.middleware); placing the order keeps the request's transaction.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class IndexView(views.IndexView):
    pass


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class ShippingAddressView(views.ShippingAddressView):
    pass


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class ShippingMethodView(views.ShippingMethodView):
    # One payment method: the step after delivery is the preview, not the
    # payment method's page, which would only redirect (a request saved).
    success_url = reverse_lazy("checkout:preview")


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class PaymentMethodView(views.PaymentMethodView):
    """One payment method, so nothing to choose: straight on to the preview."""

    success_url = reverse_lazy("checkout:preview")


class PaymentDetailsView(views.PaymentDetailsView):
    def get(self, request, *args, **kwargs):
        if not self.preview:
            # No card details to take: Oscar's placeholder page is skipped.
            return redirect("checkout:preview")
        return super().get(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        # "Place order" sent again (a double click, a second tab) after the order
        # was placed: the basket is gone, the order is not. Show the order.
        if (
            request.method == "POST"
            and request.POST.get("action") == "place_order"
            and request.basket.is_empty
            and self.recent_order() is not None
        ):
            messages.info(request, _("Your order has already been placed."))
            return redirect("checkout:thank-you")
        return super().dispatch(request, *args, **kwargs)

    def recent_order(self):
        order_id = self.request.session.get("checkout_order_id")
        return Order.objects.filter(pk=order_id).first() if order_id else None

    def get_context_data(self, **kwargs):
        self.request.basket.prefetch_line_images()
        ctx = super().get_context_data(**kwargs)
        if self.preview:
            ctx["fingerprint"] = self.fingerprint(ctx)
        return ctx

    def fingerprint(self, ctx) -> str:
        """What the shopper agreed to on the preview: lines, prices, delivery, total."""
        basket = self.request.basket
        parts = [
            f"{line.stockrecord_id}:{line.quantity}:{line.unit_price_incl_tax}"
            for line in basket.all_lines()
        ]
        method = ctx.get("shipping_method")
        charge = ctx.get("shipping_charge")
        total = ctx.get("order_total")
        parts += [
            getattr(method, "code", ""),
            str(getattr(charge, "incl_tax", "")),
            str(getattr(total, "incl_tax", "")),
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def handle_place_order_submission(self, request):
        submission = self.build_submission()
        agreed = request.POST.get("fingerprint", "")
        current = self.fingerprint(
            {
                "shipping_method": submission["shipping_method"],
                "shipping_charge": submission["shipping_charge"],
                "order_total": submission["order_total"],
            }
        )
        if agreed != current:
            messages.warning(
                request,
                _(
                    "Your basket or its prices changed since you reviewed your order. "
                    "Please check the order below and place it again."
                ),
            )
            return redirect("checkout:preview")

        # One order per basket: a second "place order" for the same basket waits
        # here until the first has finished, then finds the basket submitted.
        basket = Basket.objects.select_for_update().get(pk=submission["basket"].pk)
        if basket.status == Basket.SUBMITTED:
            order = Order.objects.filter(basket=basket).first()
            if order is not None:
                request.session["checkout_order_id"] = order.pk
                messages.info(request, _("Your order has already been placed."))
                return redirect("checkout:thank-you")
        return self.submit(**submission)

    def freeze_basket(self, basket):
        # Freezing guards a basket while the shopper pays on another site. Bank
        # transfer never leaves this one, and the basket row is locked while the
        # order is placed, so there is nothing to guard against.
        pass

    def handle_payment(self, order_number, total, **kwargs):
        self.add_payment_source(
            Source(
                source_type=ensure_bank_transfer(SourceType),
                currency=total.currency,
                amount_allocated=total.incl_tax,
                reference=order_number,
            )
        )

    def handle_order_placement(self, *args, **kwargs):
        try:
            return super().handle_order_placement(*args, **kwargs)
        except InsufficientStock as exc:
            # Someone bought the last jars first. The request's transaction is
            # rolled back, so nothing of this attempt (address, order, stock
            # held for other lines) is kept.
            transaction.set_rollback(True)
            messages.error(self.request, str(exc))
            return redirect("basket:summary")
        except Exception:
            # Anything else: nothing of the attempt may be kept (the request's
            # transaction is rolled back), and the shopper is told on the
            # preview. Oscar would render the preview here, querying inside the
            # broken transaction (a 500); a redirect renders it afresh.
            logger.exception("Placing the order for basket %s failed", self.request.basket.id)
            transaction.set_rollback(True)
            messages.error(
                self.request,
                _("Sorry, your order could not be placed and nothing was taken. Please try again."),
            )
            return redirect("checkout:preview")

    def send_order_placed_email(self, order):
        # Queued in the order's own transaction (shop.mail): sent by the worker once the
        # order is committed, never from this request. The e-mail reads the
        # order's lines and surcharges back.
        with email_event(OrderDispatcher.ORDER_PLACED_EVENT_CODE, order.number):
            super().send_order_placed_email(order)

    def get_message_context(self, order):
        # Oscar's context (order, lines, status link) plus how to pay.
        return {**super().get_message_context(order), **payment_context(order)}


class ThankYouView(views.ThankYouView):
    def get_object(self, queryset=None):
        # Oscar's, with what the page shows fetched along: the address and its
        # country, the lines with their products, images and options, the
        # surcharges (Oscar's template would fetch each line's on its own).
        order = super().get_object(queryset)
        if order is not None:
            lines = Line.objects.select_related("product__parent").prefetch_related(
                "attributes", "product__images", "product__parent__images"
            )
            prefetch_related_objects(
                [order], "shipping_address__country", Prefetch("lines", lines), "surcharges"
            )
        return order

    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        ctx["bank_details"] = settings.SHOP_BANK_DETAILS
        return ctx

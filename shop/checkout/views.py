"""Checkout with payment by card (Stripe Checkout) or bank transfer.

Oscar's flow (gateway → address → delivery → preview → place order → thank
you), with the payment steps replaced: the preview offers the ways to pay, and
"Place order" places the order as "Pending payment", holding its stock. A card
order then goes to Stripe's page (shop/payment/views.py) and becomes "Paid" when
Stripe confirms; a bank-transfer order is marked paid by staff.
"""

import hashlib
import logging

import stripe
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from oscar.apps.checkout import views
from oscar.core.loading import get_class, get_model

from shop.mail.services import email_event
from shop.order.emails import payment_context
from shop.payment import services as payment
from shop.payment.models import OrderPayment
from shop.security import client_address
from shop.stock.services import InsufficientStock
from shop.trader.context import agreement_context, order_record_context

logger = logging.getLogger(__name__)

Basket = get_model("basket", "Basket")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")
Line = get_model("order", "Line")
Order = get_model("order", "Order")
Source = get_model("payment", "Source")


# The steps before the preview read the basket and write only the session,
# which Django saves after the request's transaction in any case: the
# transaction ATOMIC_REQUESTS opens for them is two statements that guard
# nothing. A signed-in customer's basket merge still runs in one transaction
# (shop.basket.middleware); placing the order keeps the request's transaction.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class IndexView(views.IndexView):
    def get_form_kwargs(self):
        # The returning customer's password goes through the throttled sign-in
        # (shop/signin), which needs the request; Oscar's form is given none.
        return {**super().get_form_kwargs(), "request": self.request}


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
            method = ctx.get("shipping_method")
            ctx.update(agreement_context(getattr(method, "code", "")))
            ctx["card_payments"] = payment.card_payments_enabled()
        return ctx

    def payment_method(self) -> str:
        """The shopper's choice on the preview: card (the default when Stripe's keys are
        set), or bank transfer, the only way without them."""
        if payment.card_payments_enabled() and self.request.POST.get("payment_method") != (
            OrderPayment.Method.BANK_TRANSFER
        ):
            return OrderPayment.Method.CARD
        return OrderPayment.Method.BANK_TRANSFER

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

    def build_submission(self, **kwargs):
        submission = super().build_submission(**kwargs)
        # The order records the Terms of sale it is placed under.
        submission["order_kwargs"]["terms_version"] = settings.SHOP_TERMS_VERSION
        return submission

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

        try:
            payment.checkout_limits_check(
                email=self.checkout_session.get_guest_email() or request.user.email,
                client_address=client_address(request),
            )
        except payment.PaymentError as exc:
            messages.error(request, str(exc))
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
        # The money is allocated now and debited when the order is paid
        # (shop.order.processing.EventHandler).
        self.add_payment_source(
            Source(
                source_type=payment.source_type(self.payment_method()),
                currency=total.currency,
                amount_allocated=total.incl_tax,
                reference=order_number,
            )
        )

    def handle_successful_order(self, order):
        payment.order_payment_start(
            order=order,
            method=self.payment_method(),
            client_address=client_address(self.request),
        )
        return super().handle_successful_order(order)

    def get_success_url(self):
        # A card order goes on to Stripe's page; a bank-transfer order to its bank details.
        if self.payment_method() == OrderPayment.Method.CARD:
            return reverse("payment:pay")
        return super().get_success_url()

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
        if self.payment_method() == OrderPayment.Method.CARD:
            # Nothing to do until the card is paid: the "paid" e-mail is the confirmation.
            return
        # Queued in the order's own transaction (shop.mail): sent by the worker once the
        # order is committed, never from this request. The e-mail reads the order's lines
        # and surcharges back, in its text and its HTML: once for both.
        prefetch_related_objects([order], "lines", "surcharges")
        with email_event(OrderDispatcher.ORDER_PLACED_EVENT_CODE, order.number):
            super().send_order_placed_email(order)

    def get_message_context(self, order):
        # Oscar's context (order, lines, status link) plus how to pay.
        return {
            **super().get_message_context(order),
            **payment_context(order),
            **order_record_context(order, paid_by=OrderPayment.Method(self.payment_method()).label),
        }


class ThankYouView(views.ThankYouView):
    def get_object(self, queryset=None):
        # Oscar's, with what the page shows fetched along: the address and its
        # country, the lines with their products, images and options, the
        # surcharges (Oscar's template would fetch each line's on its own).
        params = self.request.GET
        if self.request.user.is_superuser and (
            any("\x00" in value for value in params.values())
            or not (params.get("order_id", "0").isascii() and params.get("order_id", "0").isdigit())
        ):
            # Oscar lets superusers name any order; an id that is not a number, or a NUL
            # byte (refused by PostgreSQL), names none (Oscar's lookup gave a 500).
            return None
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
        order = ctx.get("order")
        card = OrderPayment.objects.filter(order=order, method=OrderPayment.Method.CARD).first()
        if card and order.status == payment.PENDING and card.session_id:
            # Back from Stripe's page before its webhook (or without it): ask Stripe once.
            try:
                payment.checkout_session_sync(order=order)
            except stripe.StripeError:
                logger.exception("Asking Stripe about order %s failed", order.number)
            order.refresh_from_db(fields=["status"])
        ctx["card_payment"] = card
        return ctx

"""Card payment pages (to Stripe's page and back), Stripe's webhook, and staff refunds."""

import logging
import uuid

import stripe
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from shop.payment import services
from shop.payment.models import OrderPayment

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")


def checkout_order(request):
    """The order this browser just placed (checkout keeps its id in the session)."""
    order_id = request.session.get("checkout_order_id")
    return Order.objects.filter(pk=order_id).select_related("payment").first() if order_id else None


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class PayView(View):
    """From "Place order" (or "try again") to Stripe's payment page: a 303 to its URL."""

    def get(self, request):
        order = checkout_order(request)
        if (
            order is None
            or not hasattr(order, "payment")
            or order.payment.method != OrderPayment.Method.CARD
        ):
            return redirect("basket:summary")
        success = reverse("checkout:thank-you") + "?session_id={CHECKOUT_SESSION_ID}"
        try:
            url = services.checkout_session_open(
                order=order,
                success_url=request.build_absolute_uri(success)
                .replace("%7B", "{")
                .replace("%7D", "}"),
                cancel_url=request.build_absolute_uri(reverse("payment:cancelled")),
            )
        except services.PaymentError as exc:
            messages.info(request, str(exc))
            return redirect("payment:cancelled")
        except stripe.StripeError:
            logger.exception("Stripe refused a Checkout Session for order %s", order.number)
            messages.error(
                request,
                _("Card payments are not answering just now. Please try again in a minute."),
            )
            return redirect("payment:cancelled")
        return HttpResponseRedirect(url, status=303)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class PaymentCancelledView(TemplateView):
    """Back from Stripe's page without paying: pay now, or cancel the order (its jars go
    back on the shelf and into the basket). Also where an expired order ends."""

    template_name = "payment/cancelled.html"

    def dispatch(self, request, *args, **kwargs):
        self.order = checkout_order(request)
        if self.order is None or not hasattr(self.order, "payment"):
            return redirect("basket:summary")
        if self.order.payment.method != OrderPayment.Method.CARD:
            return redirect("checkout:thank-you")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.order.status != services.PENDING and self.order.status != "Cancelled":
            return redirect("checkout:thank-you")
        if self.order.status == "Cancelled":
            return self.restore_basket()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.order.status == services.PENDING:
            try:
                services.checkout_session_sync(order=self.order, expire=True)
            except stripe.StripeError:
                logger.exception("Cancelling order %s at Stripe failed", self.order.number)
                messages.error(request, _("Sorry, the order could not be cancelled. Try again."))
                return redirect("payment:cancelled")
            self.order.refresh_from_db()
        if self.order.status != "Cancelled":
            messages.info(request, _("This order has been paid, so it was not cancelled."))
            return redirect("checkout:thank-you")
        return self.restore_basket()

    def restore_basket(self):
        if services.basket_restore(order=self.order, basket=self.request.basket):
            messages.info(
                self.request,
                _("Order %(number)s is cancelled. Its jars are back in your basket.")
                % {"number": self.order.number},
            )
        return redirect("basket:summary")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "order": self.order}


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def stripe_webhook(request):
    """Stripe's events. Nothing is read before the signature is verified."""
    try:
        event = stripe.Webhook.construct_event(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
        )
    except (ValueError, stripe.SignatureVerificationError) as exc:
        logger.warning("Stripe webhook refused: %s", exc)
        return HttpResponse(status=400)
    result = services.stripe_event_handle(event=event)
    logger.info("Stripe event %s (%s): %s", event["id"], event["type"], result)
    return HttpResponse(result, content_type="text/plain")


class RefundForm(forms.Form):
    key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    scope = forms.ChoiceField(choices=[("all", "all"), ("lines", "lines")])
    restock = forms.BooleanField(required=False)
    reference = forms.CharField(max_length=255, required=False)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_lines = list(order.lines.all())
        for line in self.order_lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                min_value=0, max_value=line.quantity, required=False
            )

    def lines(self) -> dict[int, int] | None:
        if self.cleaned_data["scope"] == "all":
            return None
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") or 0 for line in self.order_lines}


def can_refund(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("order.change_order")


@method_decorator(
    user_passes_test(can_refund, login_url=reverse_lazy("dashboard:login")), name="dispatch"
)
class RefundView(View):
    """Staff refund an order, all of it or some jars, from the dashboard's order page."""

    def post(self, request, number):
        order = get_object_or_404(Order, number=number)
        form = RefundForm(request.POST, order=order)
        back = reverse("dashboard:order-detail", kwargs={"number": number}) + "#payment"
        if not form.is_valid():
            messages.error(request, _("Refund not made: the form was not filled in correctly."))
            return redirect(back)
        try:
            with transaction.atomic():
                refund = services.order_refund(
                    order=order,
                    lines=form.lines(),
                    restock=form.cleaned_data["restock"],
                    user=request.user,
                    reference=form.cleaned_data["reference"] or None,
                    key=form.cleaned_data["key"],
                )
        except services.PaymentError as exc:
            messages.error(request, _("Refund not made: %(reason)s") % {"reason": exc})
            return redirect(back)
        messages.success(
            request,
            _("Refunded %(amount)s (%(reference)s).")
            % {"amount": refund.amount, "reference": refund.reference},
        )
        return redirect(back)


def refund_context(order) -> dict:
    """What the dashboard order page's refund form needs."""
    payment = OrderPayment.objects.filter(order=order).first()
    return {
        "refund_key": uuid.uuid4().hex,
        "refund_method": payment.method if payment else OrderPayment.Method.BANK_TRANSFER,
        "refunds": order.refunds.prefetch_related("lines__line").order_by("created_at"),
        "payment_flag": payment.flag if payment else "",
    }

"""How orders are paid: Oscar's payment sources and transactions, plus what card payments
through Stripe Checkout, refunds and the limits on unpaid orders need to remember."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class OrderPayment(models.Model):
    """One per order: how the shopper chose to pay, from where, and the Stripe session."""

    class Method(models.TextChoices):
        CARD = "card", "Card"
        BANK_TRANSFER = "bank-transfer", "Bank transfer"

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="payment")
    method = models.CharField(max_length=16, choices=Method.choices)
    # The shopper's address when placing the order: the open-unpaid-order limit counts by it.
    client_address = models.GenericIPAddressField(null=True, blank=True)
    session_id = models.CharField(max_length=255, blank=True)
    session_url = models.URLField(max_length=2000, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    payment_intent = models.CharField(max_length=255, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Why staff must look at this payment (an amount that differs from the order's); empty: fine.
    flag = models.TextField(blank=True)
    basket_restored = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session_id"], condition=~Q(session_id=""), name="payment_unique_session"
            )
        ]

    def __str__(self):
        return f"{self.order.number}: {self.get_method_display()}"


class StripeEvent(models.Model):
    """Every webhook event Stripe sent, stored once by its id: a replay changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    order_number = models.CharField(max_length=128, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    result = models.CharField(max_length=255, blank=True)

    def __str__(self):
        return f"{self.event_id} ({self.type})"


class Refund(models.Model):
    """Money given back for an order, all of it or some lines; made once per key."""

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="refunds")
    # The form's one-time key: a double click or a retry finds the refund already made.
    key = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    method = models.CharField(max_length=16, choices=OrderPayment.Method.choices)
    # Stripe's refund id, or the bank reference of the transfer staff made.
    reference = models.CharField(max_length=255)
    restock = models.BooleanField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="refunds",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_positive")]

    def __str__(self):
        return f"{self.amount} for {self.order.number} ({self.reference})"


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey("order.Line", on_delete=models.PROTECT, related_name="refund_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="refund_line_positive")
        ]

    def __str__(self):
        return f"{self.quantity} × {self.line.title}"


from oscar.apps.payment.models import *  # noqa: E402, F403

"""Timed jobs (SHOP_JOBS) that end every hold on stock by themselves."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.payment.models import OrderPayment
from shop.payment.services import (
    PENDING,
    bank_transfer_orders,
    checkout_session_sync,
    order_expire,
    order_payment_remind,
)

logger = logging.getLogger(__name__)


def card_orders_reconcile() -> str:
    """Card orders still pending after their session's expiry: Stripe is asked, and the
    order is marked paid, or cancelled with its stock released (a lost webhook)."""
    due = OrderPayment.objects.filter(
        method=OrderPayment.Method.CARD, order__status=PENDING
    ).filter(expires_at__lt=timezone.now()) | OrderPayment.objects.filter(
        # Placed, but the shopper never reached Stripe's page: no session to wait for.
        method=OrderPayment.Method.CARD,
        order__status=PENDING,
        session_id="",
        order__date_placed__lt=timezone.now()
        - timedelta(minutes=settings.SHOP_CARD_SESSION_MINUTES),
    )
    results = []
    for payment in due.select_related("order"):
        try:
            results.append(checkout_session_sync(order=payment.order, expire=True))
        except Exception:  # one order's failure (Stripe down) must not stop the others
            logger.exception("Reconciling card order %s failed", payment.order.number)
            results.append("failed")
    return f"{len(results)} card orders reconciled: " + ", ".join(sorted(set(results)))


def bank_transfers_remind() -> str:
    cutoff = timezone.now() - timedelta(days=settings.SHOP_BANK_TRANSFER_REMIND_DAYS)
    orders = (
        bank_transfer_orders()
        .filter(date_placed__lt=cutoff)
        .exclude(payment__reminded_at__isnull=False)
        .distinct()
    )
    reminded = sum(order_payment_remind(order=order) for order in orders)
    return f"{reminded} bank-transfer orders reminded"


def bank_transfers_expire() -> str:
    days = settings.SHOP_BANK_TRANSFER_EXPIRE_DAYS
    orders = bank_transfer_orders().filter(date_placed__lt=timezone.now() - timedelta(days=days))
    note = _("Not paid within %(days)d days: cancelled, its stock released") % {"days": days}
    cancelled = sum(order_expire(order=order, note=note) for order in orders.distinct())
    return f"{cancelled} unpaid bank-transfer orders cancelled"

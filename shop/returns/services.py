"""Cancelling and returning orders, by the customer, and the refunds they cause."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from shop.mail.services import email_event
from shop.payment.models import OrderPayment
from shop.payment.services import PaymentError, order_refund
from shop.returns.models import RefundTask, ReturnRequest, ReturnRequestLine

Order = get_model("order", "Order")
EventHandler = get_class("order.processing", "EventHandler")

PENDING, PAID, SHIPPED, CANCELLED = "Pending payment", "Paid", "Shipped", "Cancelled"


class OrderActionRefused(Exception):
    """The order cannot be cancelled or returned (its state, the window, the lines)."""


def dispatched_at(order):
    change = order.status_changes.filter(new_status=SHIPPED).order_by("date_created").first()
    return change.date_created if change else None


def can_cancel(order) -> bool:
    return order.status in (PENDING, PAID)


def return_deadline(order):
    """Online returns close this long after dispatch (settings.SHOP_RETURN_WINDOW_DAYS)."""
    shipped = dispatched_at(order) if order.status == SHIPPED else None
    return shipped + timedelta(days=settings.SHOP_RETURN_WINDOW_DAYS) if shipped else None


def can_return(order) -> bool:
    deadline = return_deadline(order)
    return deadline is not None and timezone.now() <= deadline


@dataclass
class Cancellation:
    amount: Decimal  # what the customer had paid
    refunded: bool  # given back now (a card), or owed by staff (a RefundTask)


@transaction.atomic
def order_cancel(*, order, user=None) -> Cancellation:
    """Cancel an order that has not been dispatched, at the customer's request.

    The status change goes through the order's EventHandler, which releases the stock it
    holds and e-mails the customer; what was paid is refunded (refund_for_cancellation).
    The order row is locked, so a customer cancelling while staff dispatch cannot have both.
    """
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if not can_cancel(locked):
        raise OrderActionRefused(refusal(locked))
    EventHandler(user).handle_order_status_change(
        locked, CANCELLED, note_msg="Cancelled by the customer from the order's page"
    )
    return refund_for_cancellation(order=locked, user=user)


def refund_for_cancellation(*, order, user=None) -> Cancellation:
    """Give back what was paid, the way it was paid: a card at once through the payments'
    order_refund (Stripe); a bank transfer, or a card refund Stripe refuses now, becomes a
    RefundTask for staff."""
    sources = order.sources.all()
    paid = sum((s.amount_debited - s.amount_refunded for s in sources), Decimal("0.00"))
    if paid <= 0:
        return Cancellation(amount=Decimal("0.00"), refunded=False)
    payment = OrderPayment.objects.filter(order=order).first()
    method = payment.method if payment else OrderPayment.Method.BANK_TRANSFER
    if method == OrderPayment.Method.CARD:
        try:
            with transaction.atomic():
                order_refund(order=order, restock=False, user=user, key=f"cancel-{order.number}")
            return Cancellation(amount=paid, refunded=True)
        except PaymentError:
            pass  # Stripe refused or is unreachable: staff try again from the task.
    RefundTask.objects.create(
        order=order,
        amount=paid,
        currency=order.currency,
        method=OrderPayment.Method(method).label,
        reason="Cancelled by the customer before dispatch",
    )
    return Cancellation(amount=paid, refunded=False)


@transaction.atomic
def return_request_create(*, order, quantities: dict[int, int], reason: str) -> ReturnRequest:
    """Record the customer's notice that they return these lines, and e-mail staff.

    `quantities` maps order line ids to the number of jars returned (0 for none).
    """
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if not can_return(locked):
        raise OrderActionRefused(refusal(locked))
    lines = {line.pk: line for line in locked.lines.all()}
    chosen = {pk: qty for pk, qty in quantities.items() if qty}
    if not chosen:
        raise OrderActionRefused("Choose at least one jar to return.")
    for pk, qty in chosen.items():
        if pk not in lines or not 0 < qty <= lines[pk].quantity:
            raise OrderActionRefused("Choose the jars to return from this order's lines.")
    request = ReturnRequest.objects.create(order=locked, reason=reason.strip())
    ReturnRequestLine.objects.bulk_create(
        ReturnRequestLine(request=request, order_line=lines[pk], quantity=qty)
        for pk, qty in chosen.items()
    )
    context = {"order": locked, "request": request, "lines": request.lines.all()}
    with email_event("RETURN_REQUESTED", request.pk):
        EmailMessage(
            subject=f"Return requested for order {locked.number}",
            body=render_to_string("returns/emails/return_requested_staff.txt", context),
            to=[settings.SHOP_CUSTOMER_SERVICE_EMAIL],
            reply_to=[locked.email] if locked.email else [],
        ).send()
    return request


def refusal(order) -> str:
    if order.status == CANCELLED:
        return "This order has been cancelled."
    if order.status == SHIPPED:
        return (
            "This order was dispatched more than "
            f"{settings.SHOP_RETURN_WINDOW_DAYS} days ago, so it can no longer be returned "
            "online. If a jar is faulty, please contact us."
        )
    return "This order has not been dispatched yet: you can cancel it instead."


@transaction.atomic
def refund_task_done(*, task: RefundTask, reference: str, user) -> bool:
    """Staff made the refund (a bank transfer with this reference; for a card, Stripe is
    asked again): recorded through the payments' order_refund, once. False when the task
    was already done (two staff at once)."""
    locked = RefundTask.objects.select_for_update().get(pk=task.pk)
    if locked.status == RefundTask.Status.DONE:
        return False
    locked.refund = order_refund(
        order=locked.order,
        restock=False,
        user=user,
        reference=reference,
        key=f"refund-task-{locked.pk}",
    )
    locked.status = RefundTask.Status.DONE
    locked.done_at = timezone.now()
    locked.done_by = user
    locked.save(update_fields=["refund", "status", "done_at", "done_by"])
    return True

"""What every order e-mail knows: the order, its lines, and how to pay for it."""

from django.conf import settings
from django.urls import reverse

from shop.trader.context import order_record_context


def payment_context(order) -> dict:
    """How to pay: the shop's bank details (the templates give the order number as reference)."""
    return {"bank_details": settings.SHOP_BANK_DETAILS}


def order_message_context(order, *, user=None, request=None) -> dict:
    """For e-mails sent outside checkout (status changes by staff)."""
    if order.user_id:
        path = reverse("customer:order", kwargs={"order_number": order.number})
    else:
        path = reverse(
            "customer:anon-order",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        )
    return {
        "user": user or order.user,
        "order": order,
        "lines": order.lines.all(),
        "request": request,
        "status_path": path,
        **payment_context(order),
        **order_record_context(order),
    }

"""What the preview and the confirmation e-mail tell the shopper they agree to."""

from django.conf import settings
from django.urls import reverse

from shop.returns.links import order_manage_path


def delivery_time(code: str) -> str:
    """The delivery method's expected time (settings.SHOP_DELIVERY_METHODS)."""
    for method in settings.SHOP_DELIVERY_METHODS:
        if method["code"] == code:
            return method["description"]
    return ""


def agreement_context(shipping_code: str = "") -> dict:
    return {
        "pack_size": settings.SHOP_PACK_SIZE,
        "delivery_time": delivery_time(shipping_code),
        "dispatch_rule": settings.SHOP_DISPATCH_RULE,
        "cancellation_days": settings.SHOP_CANCELLATION_DAYS,
        "terms_path": reverse("trader:terms"),
        "returns_path": reverse("trader:returns"),
    }


def order_record_context(order, *, paid_by: str | None = None) -> dict:
    """For the confirmation e-mail, the durable record of the contract. `paid_by` is the
    payment method's name when the caller knows it (checkout), else read from the order."""
    if paid_by is None:
        source = order.sources.select_related("source_type").first()
        paid_by = source.source_type.name if source else ""
    return {
        **agreement_context(order.shipping_code),
        "manage_path": order_manage_path(order),
        "paid_by": paid_by.lower(),
    }

"""Low-stock alerts for staff and back-in-stock e-mails for shoppers.

Called by the stock services inside their transaction, with the stock row
already locked (by `select_for_update` or by the service's UPDATE), so two
requests cannot both open an alert for the same crossing. E-mails are queued
in the same transaction (shop.mail): sent by the worker once the change is
committed, never from the request, so a mail server that fails cannot turn a
committed order or adjustment into an error page.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from shop.mail.services import email_event

StockRecord = get_model("partner", "StockRecord")
StockAlert = get_model("partner", "StockAlert")


def low_stock_alert_sync(*, stockrecord_id: int) -> None:
    """Open an alert (and e-mail staff once) when a variant falls to its threshold; close it
    when it is back above."""
    # One query on the way through checkout; more only when the state changes.
    record = (
        StockRecord.objects.select_related("product", "product__parent")
        .annotate(
            open_alert=Exists(
                StockAlert.objects.filter(stockrecord=OuterRef("pk"), status=StockAlert.OPEN)
            )
        )
        .get(pk=stockrecord_id)
    )
    if record.is_low_stock and not record.open_alert:
        alert = StockAlert.objects.create(stockrecord=record, threshold=record.low_stock_threshold)
        with email_event("LOW_STOCK", alert.pk):
            _email_staff(record)
    elif record.open_alert and not record.is_low_stock:
        for alert in StockAlert.objects.filter(stockrecord=record, status=StockAlert.OPEN):
            alert.close()


def _email_staff(record) -> None:
    address = settings.SHOP_STOCK_ALERT_EMAIL
    if not address:
        return
    title = record.product.get_title()
    left = record.net_stock_level
    send_mail(
        subject=f"Low stock: {title} ({record.partner_sku}), {left} left",
        message=(
            f"{title} ({record.partner_sku}) is down to {left} available "
            f"({record.num_in_stock or 0} in stock, {record.num_allocated or 0} allocated to "
            f"orders); its low-stock threshold is {record.low_stock_threshold}.\n\n"
            "Restock it on the dashboard's Stock page. This is the only e-mail until it has "
            "been restocked above the threshold."
        ),
        from_email=settings.OSCAR_FROM_EMAIL,
        recipient_list=[address],
    )


def back_in_stock_notify(*, product) -> None:
    """Shoppers who asked to hear when this variant (or its parent) is back get their e-mail."""
    dispatcher = get_class("customer.alerts.utils", "AlertsDispatcher")
    # Oscar closes each alert as it queues its e-mail, in this transaction: an alert is
    # e-mailed once. The key's object is this restock (the variant and the moment).
    with email_event("PRODUCT_ALERT", f"{product.pk}@{timezone.now().isoformat()}"):
        dispatcher().send_product_alert_email_for_user(product)


def low_stock_digest() -> str:
    """Timed job (daily): one e-mail to staff listing every variant at or below its
    low-stock threshold, sold-out ones included; none when all are fine."""
    from shop.stock.queries import Status, stock_rows

    address = settings.SHOP_STOCK_ALERT_EMAIL
    rows = list(stock_rows().filter(status__in=[Status.LOW, Status.SOLD_OUT]))
    if not address or not rows:
        return "nothing low"
    lines = "\n".join(
        f"- {row.fragrance or row.product.get_title()} ({row.partner_sku}): {row.available} "
        f"available, threshold {row.low_stock_threshold}"
        for row in rows
    )
    with email_event("LOW_STOCK_DIGEST", timezone.localdate().isoformat()):
        send_mail(
            subject=f"Stock digest: {len(rows)} variant(s) low or sold out",
            message=(
                f"These variants are at or below their low-stock threshold:\n\n{lines}\n\n"
                "Restock them on the dashboard's Stock page."
            ),
            from_email=settings.OSCAR_FROM_EMAIL,
            recipient_list=[address],
        )
    return f"{len(rows)} variant(s) low"

"""Low-stock alerts for staff and back-in-stock e-mails for shoppers.

Called by the stock services inside their transaction, with the stock row
already locked (by `select_for_update` or by the service's UPDATE), so two
requests cannot both open an alert for the same crossing. E-mails go out
only after the change is committed.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from oscar.core.loading import get_class, get_model

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
        StockAlert.objects.create(stockrecord=record, threshold=record.low_stock_threshold)
        transaction.on_commit(lambda: _email_staff(record))
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
    transaction.on_commit(lambda: dispatcher().send_product_alert_email_for_user(product))

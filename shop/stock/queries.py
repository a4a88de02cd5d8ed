"""Reads shared by the stock pages, the exports and the alerts: one query each."""

from django.db.models import Case, CharField, F, OuterRef, Subquery, TextChoices, Value, When
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from shop.partner.models import LOW_STOCK
from shop.stock.models import StockMovement

StockRecord = get_model("partner", "StockRecord")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")


class Status(TextChoices):
    OK = "ok", "OK"
    LOW = "low", "Low"
    SOLD_OUT = "sold-out", "Sold out"


def stock_rows(*, status: str | None = None):
    """Every stock record with what the stock table shows, annotated in SQL."""
    latest = StockMovement.objects.filter(stockrecord=OuterRef("pk")).order_by("-created_at", "-id")
    rows = (
        StockRecord.objects.with_available()
        .select_related("product", "product__parent", "partner")
        .annotate(
            allocated=Coalesce(F("num_allocated"), 0),
            in_stock=Coalesce(F("num_in_stock"), 0),
            fragrance=Subquery(
                ProductAttributeValue.objects.filter(
                    product=OuterRef("product"), attribute__code="fragrance"
                ).values("value_text")[:1]
            ),
            last_movement_at=Subquery(latest.values("created_at")[:1]),
            last_movement_reason=Subquery(latest.values("reason")[:1]),
            last_movement_quantity=Subquery(latest.values("quantity")[:1]),
        )
        .annotate(
            status=Case(
                When(available__lte=0, then=Value(Status.SOLD_OUT)),
                When(LOW_STOCK, then=Value(Status.LOW)),
                default=Value(Status.OK),
                output_field=CharField(),
            )
        )
        .order_by("partner_sku")
    )
    if status:
        rows = rows.filter(status=status)
    return rows

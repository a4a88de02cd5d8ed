from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from oscar.apps.partner.abstract_models import AbstractStockRecord


def is_low_stock(*, available: int, threshold: int | None) -> bool:
    """The shop's one low-stock rule: at or below the threshold (sold out included).

    Oscar's own alerts say "below". `StockRecordQuerySet.low_stock()` is the
    same rule in SQL; the shopper's message, the stock table and the staff
    alert all use one or the other.
    """
    return threshold is not None and available <= threshold


# The same rule for a queryset annotated with `available` (StockRecordQuerySet).
LOW_STOCK = Q(low_stock_threshold__isnull=False, available__lte=F("low_stock_threshold"))


class StockRecordQuerySet(models.QuerySet):
    def with_available(self):
        """`available`: stock in hand less what orders hold (Oscar's net_stock_level)."""
        return self.annotate(available=Coalesce("num_in_stock", 0) - Coalesce("num_allocated", 0))

    def low_stock(self):
        return self.with_available().filter(LOW_STOCK)


class StockRecord(AbstractStockRecord):
    objects = StockRecordQuerySet.as_manager()

    @property
    def is_low_stock(self) -> bool:
        return is_low_stock(available=self.net_stock_level, threshold=self.low_stock_threshold)


from oscar.apps.partner.models import *

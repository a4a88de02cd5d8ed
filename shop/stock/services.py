"""Every change to a variant's stock counts goes through these services.

Each is one conditional UPDATE: the database checks and changes the numbers in
the same statement, so two checkouts racing for the last jar cannot both get
it (Oscar's own allocation is an unconditional increment after a check made
earlier, which can oversell: Oscar issues #1811, #2102, #4524). On PostgreSQL
a concurrent UPDATE of the same row waits for the other transaction and then
re-evaluates the condition; on SQLite transactions are serialised.
"""

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")

ALLOCATED = Coalesce(F("num_allocated"), 0)


class StockError(Exception):
    """A stock change that would make the numbers wrong; the message is for people."""


class InsufficientStock(StockError):
    def __init__(self, stockrecord, requested: int):
        stockrecord.refresh_from_db(fields=["num_in_stock", "num_allocated"])
        self.stockrecord = stockrecord
        self.requested = requested
        self.available = max(stockrecord.net_stock_level, 0)
        title = stockrecord.product.get_title()
        if self.available:
            message = _("Sorry, only %(n)d of %(title)s left: please lower the quantity.") % {
                "n": self.available,
                "title": title,
            }
        else:
            message = _("Sorry, %(title)s has just sold out.") % {"title": title}
        super().__init__(message)


def _require_positive(quantity: int) -> None:
    if not isinstance(quantity, int) or quantity <= 0:
        raise StockError(_("A stock quantity must be a whole number above zero."))


def stock_allocate(*, stockrecord, quantity: int) -> None:
    """Hold `quantity` for an order, only if that many are available."""
    _require_positive(quantity)
    updated = StockRecord.objects.filter(
        pk=stockrecord.pk, num_in_stock__gte=ALLOCATED + quantity
    ).update(num_allocated=ALLOCATED + quantity)
    if not updated:
        raise InsufficientStock(stockrecord, quantity)


def stock_release(*, stockrecord, quantity: int) -> None:
    """Give back an allocation (the order was cancelled)."""
    _require_positive(quantity)
    updated = StockRecord.objects.filter(pk=stockrecord.pk, num_allocated__gte=quantity).update(
        num_allocated=F("num_allocated") - quantity
    )
    if not updated:
        raise StockError(_("Cannot release more stock than is allocated."))
    stockrecord.refresh_from_db(fields=["num_in_stock", "num_allocated"])


def stock_consume(*, stockrecord, quantity: int) -> None:
    """The allocated jars leave the warehouse (the order shipped)."""
    _require_positive(quantity)
    updated = StockRecord.objects.filter(
        Q(num_allocated__gte=quantity) & Q(num_in_stock__gte=quantity), pk=stockrecord.pk
    ).update(num_allocated=F("num_allocated") - quantity, num_in_stock=F("num_in_stock") - quantity)
    if not updated:
        raise StockError(_("Cannot ship more stock than is allocated."))
    stockrecord.refresh_from_db(fields=["num_in_stock", "num_allocated"])

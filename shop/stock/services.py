"""Every change to a variant's stock counts goes through these services.

Each is one conditional UPDATE: the database checks and changes the numbers in
the same statement, so two checkouts racing for the last jar cannot both get
it (Oscar's own allocation is an unconditional increment after a check made
earlier, which can oversell: Oscar issues #1811, #2102, #4524). On PostgreSQL
a concurrent UPDATE of the same row waits for the other transaction and then
re-evaluates the condition; on SQLite transactions are serialised.

Changes to stock in hand also write a `StockMovement` in the same transaction,
so the sum of a variant's movements is always its stock in hand. Adjustments
by staff read the numbers before deciding, so they lock the row first
(`select_for_update`); allocation's conditional UPDATE waits for that lock.
"""

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.stock.alerts import back_in_stock_notify, low_stock_alert_sync
from shop.stock.guard import stock_levels_writable
from shop.stock.models import StockMovement

StockRecord = get_model("partner", "StockRecord")

# No jar count in this shop comes near it; anything larger is a typing slip.
MAX_STOCK = 100_000

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
    # No atomic block of its own (a savepoint costs two queries on every checkout):
    # checkout calls this inside its transaction, where the UPDATE's row lock
    # also serialises the low-stock check that follows.
    with stock_levels_writable():
        updated = StockRecord.objects.filter(
            pk=stockrecord.pk, num_in_stock__gte=ALLOCATED + quantity
        ).update(num_allocated=ALLOCATED + quantity)
    if not updated:
        raise InsufficientStock(stockrecord, quantity)
    low_stock_alert_sync(stockrecord_id=stockrecord.pk)


def stock_allocate_basket(*, lines) -> None:
    """Hold the jars of every basket line whose product tracks stock, or raise InsufficientStock.

    In stock-record order, so that two baskets placed at once take the row
    locks in the same order and cannot deadlock. No savepoint of its own (two
    queries): placing the order is one transaction, which a refusal rolls back
    whole, the jars already held for other lines included.
    """
    with stock_levels_writable():
        for line in sorted(lines, key=lambda line: line.stockrecord_id):
            if line.product.get_product_class().track_stock:
                stock_allocate(stockrecord=line.stockrecord, quantity=line.quantity)


def stock_release(*, stockrecord, quantity: int) -> None:
    """Give back an allocation (the order was cancelled)."""
    _require_positive(quantity)
    with transaction.atomic():
        with stock_levels_writable():
            updated = StockRecord.objects.filter(
                pk=stockrecord.pk, num_allocated__gte=quantity
            ).update(num_allocated=F("num_allocated") - quantity)
        if not updated:
            raise StockError(_("Cannot release more stock than is allocated."))
        record = StockRecord.objects.select_related("product").get(pk=stockrecord.pk)
        available = record.net_stock_level  # after the release; the UPDATE holds the row
        if available - quantity <= 0 < available:
            # The cancelled order held the last jars: they can be bought again.
            back_in_stock_notify(product=record.product)
        low_stock_alert_sync(stockrecord_id=stockrecord.pk)
    stockrecord.refresh_from_db(fields=["num_in_stock", "num_allocated"])


def stock_consume(*, stockrecord, quantity: int, order_line=None, user=None) -> StockMovement:
    """The allocated jars leave the warehouse (the order shipped): an "order shipped" movement."""
    _require_positive(quantity)
    with transaction.atomic():
        with stock_levels_writable():
            updated = StockRecord.objects.filter(
                Q(num_allocated__gte=quantity) & Q(num_in_stock__gte=quantity), pk=stockrecord.pk
            ).update(
                num_allocated=F("num_allocated") - quantity,
                num_in_stock=F("num_in_stock") - quantity,
            )
        if not updated:
            raise StockError(_("Cannot ship more stock than is allocated."))
        movement = StockMovement.objects.create(
            stockrecord_id=stockrecord.pk,
            quantity=-quantity,
            reason=StockMovement.Reason.SHIPPED,
            order_line=order_line,
            user=user,
        )
    stockrecord.refresh_from_db(fields=["num_in_stock", "num_allocated"])
    return movement


# Reasons staff may give by hand; "order shipped" is written only by stock_consume.
MANUAL_REASONS = [
    reason for reason in StockMovement.Reason if reason != StockMovement.Reason.SHIPPED
]


def _check_new_level(record, new_level: int) -> None:
    allocated = record.num_allocated or 0
    title = record.product.get_title() if record.product_id else record.partner_sku
    if new_level < 0:
        raise StockError(
            _("%(title)s has %(n)d in stock: it cannot go below zero.")
            % {"title": title, "n": record.num_in_stock or 0}
        )
    if new_level < allocated:
        raise StockError(
            _(
                "%(title)s has %(allocated)d allocated to orders not yet shipped: stock in hand "
                "cannot go below that (it would be %(new)d)."
            )
            % {"title": title, "allocated": allocated, "new": new_level}
        )
    if new_level > MAX_STOCK:
        raise StockError(
            _("Stock in hand would be %(new)d, more than %(max)d: is that a typing slip?")
            % {"new": new_level, "max": MAX_STOCK}
        )


def _lock(stockrecord):
    return StockRecord.objects.select_for_update().select_related("product").get(pk=stockrecord.pk)


def _move(record, *, quantity: int, reason: str, note: str, user) -> StockMovement:
    with stock_levels_writable():
        StockRecord.objects.filter(pk=record.pk).update(num_in_stock=F("num_in_stock") + quantity)
    available = record.net_stock_level  # as locked, before this movement
    if available <= 0 < available + quantity:
        back_in_stock_notify(product=record.product)
    low_stock_alert_sync(stockrecord_id=record.pk)
    return StockMovement.objects.create(
        stockrecord_id=record.pk,
        quantity=quantity,
        reason=reason,
        note=note,
        user=user if user is not None and user.is_authenticated else None,
    )


def stock_adjust(
    *, stockrecord, quantity: int, reason: str, note: str = "", user=None
) -> StockMovement:
    """Change stock in hand by a signed `quantity`, for a reason, as one movement."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity == 0:
        raise StockError(_("An adjustment is a whole number of jars, not zero."))
    if abs(quantity) > MAX_STOCK:
        raise StockError(_("An adjustment cannot be more than %(max)d jars.") % {"max": MAX_STOCK})
    if reason not in MANUAL_REASONS:
        raise StockError(_("Choose a reason for the adjustment."))
    with transaction.atomic():
        record = _lock(stockrecord)
        _check_new_level(record, (record.num_in_stock or 0) + quantity)
        movement = _move(record, quantity=quantity, reason=reason, note=note, user=user)
    stockrecord.refresh_from_db(fields=["num_in_stock", "num_allocated"])
    return movement


def stock_stocktake(
    *,
    counts: list[tuple],
    last_movement_ids: dict[int, int] | None = None,
    note: str = "",
    user=None,
) -> list[StockMovement]:
    """Set each (stockrecord, counted) to what was counted: all of them, or none.

    A record whose count equals its stock in hand gets no movement.
    `last_movement_ids` (stock record pk: its newest movement's id when the
    counts were checked, 0 for none) refuses the whole stocktake if any of those
    records has moved since: the counts would undo a receipt or a shipment.
    """
    movements = []
    with transaction.atomic():
        # Lock in primary-key order so two stocktakes cannot deadlock.
        for stockrecord, counted in sorted(counts, key=lambda pair: pair[0].pk):
            if isinstance(counted, bool) or not isinstance(counted, int):
                raise StockError(_("A counted quantity is a whole number."))
            record = _lock(stockrecord)
            if last_movement_ids is not None and _has_moved_since(
                record, last_movement_ids.get(record.pk, 0)
            ):
                raise StockError(
                    _(
                        "the stock of %(sku)s has changed since this stocktake was previewed: "
                        "upload the counts again to see the differences as they are now."
                    )
                    % {"sku": record.partner_sku}
                )
            _check_new_level(record, counted)
            difference = counted - (record.num_in_stock or 0)
            if difference:
                movements.append(
                    _move(
                        record,
                        quantity=difference,
                        reason=StockMovement.Reason.STOCKTAKE,
                        note=note,
                        user=user,
                    )
                )
    return movements


def _has_moved_since(record, last_movement_id: int) -> bool:
    return StockMovement.objects.filter(stockrecord_id=record.pk, id__gt=last_movement_id).exists()

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AppendOnlyError(Exception):
    """A stock movement is history: it is never changed or removed."""


class StockMovementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Stock movements are never updated.")

    def delete(self):
        raise AppendOnlyError("Stock movements are never deleted.")


class MovementReason(models.TextChoices):
    # At module level so that the model's Meta can name its values.
    RECEIVED = "received", "Received"
    STOCKTAKE = "stocktake", "Stocktake correction"
    DAMAGED = "damaged", "Damaged"
    RETURNED = "returned", "Returned"
    SHIPPED = "shipped", "Order shipped"


class StockMovement(models.Model):
    """One change to a variant's stock in hand; the sum of them is the stock in hand.

    Written only by the services in shop/stock/services.py, in the same
    transaction as the change to `StockRecord.num_in_stock`.
    """

    Reason = MovementReason

    # PROTECT: a variant with stock history keeps its history (and its record).
    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.PROTECT, related_name="movements"
    )
    quantity = models.IntegerField(help_text="Signed: received is positive, shipped negative.")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stock_movements",
    )
    order_line = models.ForeignKey(
        "order.Line",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stock_movements",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = StockMovementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # The "Stock manager" group has it (migration 0004); full staff need none.
        permissions = [("dashboard_access", "Can use the dashboard stock pages")]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="stock_movement_not_zero"),
            models.CheckConstraint(
                condition=Q(reason__in=MovementReason.values),
                name="stock_movement_known_reason",
            ),
            models.CheckConstraint(
                condition=~Q(reason=MovementReason.SHIPPED) | Q(quantity__lt=0),
                name="stock_movement_shipped_is_negative",
            ),
        ]

    def __str__(self):
        return f"{self.quantity:+d} {self.get_reason_display()} ({self.stockrecord_id})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Stock movements are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Stock movements are never deleted.")

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReturnRequest(models.Model):
    """A customer's notice that they return (part of) a dispatched order."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the jars"
        CLOSED = "closed", "Closed"

    order = models.ForeignKey(
        "order.Order", on_delete=models.PROTECT, related_name="return_requests"
    )
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Return of order {self.order.number} ({self.created_at:%Y-%m-%d})"


class ReturnRequestLine(models.Model):
    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "order.Line", on_delete=models.PROTECT, related_name="return_request_lines"
    )
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="return_line_quantity"),
            models.UniqueConstraint(fields=["request", "order_line"], name="return_line_unique"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.order_line.title}"


class RefundTask(models.Model):
    """A refund owed to a customer who cancelled, for staff to make: a bank transfer paid
    back by hand (or a card refund Stripe refused at the time). Done through the payments'
    order_refund, whose Refund it then points to."""

    class Status(models.TextChoices):
        TO_DO = "to-do", "To do"
        DONE = "done", "Done"

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="refund_tasks")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=12, default=settings.OSCAR_DEFAULT_CURRENCY)
    method = models.CharField(max_length=128)
    reason = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.TO_DO)
    refund = models.ForeignKey(
        "payment.Refund",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refund_tasks_done",
    )

    class Meta:
        ordering = ["status", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_task_amount_positive"),
            models.CheckConstraint(
                condition=Q(status="to-do") | Q(refund__isnull=False),
                name="refund_task_done_has_refund",
            ),
        ]

    def __str__(self):
        return f"Refund of {self.amount} {self.currency} for order {self.order.number}"

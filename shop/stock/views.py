import csv

from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView
from oscar.core.loading import get_model

from shop.permissions import WritePermissionMixin
from shop.spreadsheet import spreadsheet_safe
from shop.stock.forms import AdjustForm, StatusFilterForm, StocktakeUploadForm
from shop.stock.models import StockMovement
from shop.stock.queries import stock_rows
from shop.stock.services import StockError, stock_adjust, stock_stocktake
from shop.stock.stocktake import stocktake_preview

StockRecord = get_model("partner", "StockRecord")
StockAlert = get_model("partner", "StockAlert")

HISTORY_LENGTH = 200
# Every change of stock is a movement: changing stock needs the permission to add one.
CHANGE_STOCK = ("stock.dashboard_access", "stock.add_stockmovement")


class StockListView(ListView):
    """All variants' stock in one table, filtered by status."""

    template_name = "stock/dashboard/stock_list.html"
    context_object_name = "rows"

    def get_queryset(self):
        self.filter_form = StatusFilterForm(self.request.GET or None)
        status = self.filter_form.cleaned_data["status"] if self.filter_form.is_valid() else None
        return stock_rows(status=status)

    def get_context_data(self, **kwargs):
        alerts = StockAlert.objects.filter(status=StockAlert.OPEN).select_related(
            "stockrecord__product__parent"
        )
        return super().get_context_data(filter_form=self.filter_form, alerts=alerts, **kwargs)


class StockRecordView(WritePermissionMixin, FormView):
    """One variant: its numbers, the adjust form and its movement history."""

    write_permissions = CHANGE_STOCK
    template_name = "stock/dashboard/stock_detail.html"
    form_class = AdjustForm

    def dispatch(self, request, *args, **kwargs):
        self.row = get_object_or_404(stock_rows(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            movement = stock_adjust(
                stockrecord=self.row, user=self.request.user, **form.cleaned_data
            )
        except StockError as error:
            form.add_error("quantity", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.row.partner_sku}: {movement.quantity:+d} ({movement.get_reason_display()}), "
            f"{self.row.num_in_stock} in stock now.",
        )
        return redirect("stock-dashboard:stock-detail", pk=self.row.pk)

    def get_context_data(self, **kwargs):
        movements = self.row.movements.select_related("user", "order_line__order")
        return super().get_context_data(
            row=self.row, movements=movements[:HISTORY_LENGTH], **kwargs
        )


def _csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(value) for value in row] for row in rows)
    return response


class StockExportView(View):
    def get(self, request):
        rows = (
            (
                row.partner_sku,
                row.fragrance,
                row.product.get_title(),
                row.in_stock,
                row.allocated,
                row.available,
                row.low_stock_threshold,
                row.status,
                row.last_movement_at.isoformat() if row.last_movement_at else "",
            )
            for row in stock_rows()
        )
        header = [
            "sku",
            "fragrance",
            "product",
            "in_stock",
            "allocated",
            "available",
            "low_stock_threshold",
            "status",
            "last_movement_at",
        ]
        return _csv_response(f"stock-{timezone.localdate():%Y-%m-%d}.csv", header, rows)


class MovementExportView(View):
    def get(self, request):
        movements = StockMovement.objects.select_related(
            "stockrecord", "user", "order_line__order"
        ).order_by("created_at", "id")
        rows = (
            (
                movement.created_at.isoformat(),
                movement.stockrecord.partner_sku,
                movement.quantity,
                movement.reason,
                movement.note,
                movement.user.email if movement.user else "",
                movement.order_line.order.number if movement.order_line else "",
            )
            for movement in movements.iterator(chunk_size=2000)
        )
        header = ["created_at", "sku", "quantity", "reason", "note", "user", "order"]
        return _csv_response(f"stock-movements-{timezone.localdate():%Y-%m-%d}.csv", header, rows)


STOCKTAKE_SALT = "shop.stock.stocktake"
STOCKTAKE_MAX_AGE = 60 * 60


class StocktakeView(WritePermissionMixin, FormView):
    """Upload counts, see the differences and every problem, then confirm to apply all."""

    write_permissions = CHANGE_STOCK
    template_name = "stock/dashboard/stocktake.html"
    form_class = StocktakeUploadForm

    def form_valid(self, form):
        preview = stocktake_preview(form.cleaned_data["file"])
        token = ""
        if preview.is_valid and preview.changes:
            token = signing.dumps(
                [[row.record.pk, row.counted, row.last_movement_id] for row in preview.changes],
                salt=STOCKTAKE_SALT,
            )
        return self.render_to_response(
            self.get_context_data(form=form, preview=preview, token=token)
        )


class StocktakeConfirmView(WritePermissionMixin, View):
    write_permissions = CHANGE_STOCK

    def post(self, request):
        try:
            counts = [
                (int(pk), counted, int(last))
                for pk, counted, last in signing.loads(
                    request.POST.get("token", ""), salt=STOCKTAKE_SALT, max_age=STOCKTAKE_MAX_AGE
                )
            ]
        except (signing.BadSignature, TypeError, ValueError):
            # Also a token signed before the shop recorded each record's last movement.
            messages.error(request, "This stocktake could not be read: please upload it again.")
            return redirect("stock-dashboard:stocktake")
        records = StockRecord.objects.in_bulk([pk for pk, _counted, _last in counts])
        try:
            # Applying it writes a movement on each of its records, so the same
            # confirmation a second time is refused as "changed since".
            movements = stock_stocktake(
                counts=[(records[pk], counted) for pk, counted, _last in counts if pk in records],
                last_movement_ids={pk: last for pk, _counted, last in counts},
                note="Stocktake import",
                user=request.user,
            )
        except StockError as error:
            messages.error(request, f"Nothing was changed: {error}")
            return redirect("stock-dashboard:stocktake")
        messages.success(request, f"Stocktake applied: {len(movements)} corrections.")
        return redirect("stock-dashboard:stock-list")

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, ListView

from shop.stock.forms import AdjustForm, StatusFilterForm
from shop.stock.queries import stock_rows
from shop.stock.services import StockError, stock_adjust

HISTORY_LENGTH = 200


class StockListView(ListView):
    """All variants' stock in one table, filtered by status."""

    template_name = "stock/dashboard/stock_list.html"
    context_object_name = "rows"

    def get_queryset(self):
        self.filter_form = StatusFilterForm(self.request.GET or None)
        status = self.filter_form.cleaned_data["status"] if self.filter_form.is_valid() else None
        return stock_rows(status=status)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class StockRecordView(FormView):
    """One variant: its numbers, the adjust form and its movement history."""

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
        self.row.refresh_from_db(fields=["num_in_stock"])
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

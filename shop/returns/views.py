from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView
from oscar.core.loading import get_model

from shop.payment.services import PaymentError
from shop.returns import services
from shop.returns.forms import ReturnForm
from shop.returns.links import LinkExpired, order_token_valid
from shop.returns.models import RefundTask, ReturnRequest

Order = get_model("order", "Order")


class OrderPageMixin:
    """The order's page where its customer cancels or returns it."""

    template_name = "returns/order.html"

    def get_order(self):
        raise NotImplementedError

    def orders(self):
        return Order.objects.select_related("shipping_address__country").prefetch_related(
            "lines", "return_requests__lines__order_line"
        )

    def page(self, request, order, return_form=None, status=200):
        context = {
            "order": order,
            "can_cancel": services.can_cancel(order),
            "can_return": services.can_return(order),
            "return_deadline": services.return_deadline(order),
            "return_form": return_form or ReturnForm(lines=order.lines.all()),
            "refusal": services.refusal(order),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.page(request, self.get_order())

    def post(self, request, *args, **kwargs):
        order = self.get_order()
        action = request.POST.get("action")
        try:
            if action == "cancel":
                cancellation = services.order_cancel(
                    order=order, user=request.user if request.user.is_authenticated else None
                )
                messages.success(request, _cancelled_message(cancellation))
            elif action == "return":
                form = ReturnForm(request.POST, lines=order.lines.all())
                if not form.is_valid():
                    return self.page(request, order, return_form=form, status=400)
                services.return_request_create(
                    order=order, quantities=form.quantities(), reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request, "We have your return request. What to do next is shown below."
                )
            else:
                messages.error(request, "Choose whether to cancel or return this order.")
        except services.OrderActionRefused as exc:
            messages.error(request, str(exc))
        return redirect(request.get_full_path())


def _cancelled_message(cancellation) -> str:
    if not cancellation.amount:
        return "Your order is cancelled. Nothing had been paid, so there is nothing to refund."
    if cancellation.refunded:
        return (
            f"Your order is cancelled and we have refunded £{cancellation.amount} to your "
            "card. Your bank may take a few days to show it."
        )
    return (
        f"Your order is cancelled. We will refund £{cancellation.amount} to the way you paid "
        "within 14 days, and e-mail you when we have."
    )


class CustomerOrderView(LoginRequiredMixin, OrderPageMixin, View):
    def get_order(self):
        number, user = self.kwargs["number"], self.request.user
        return get_object_or_404(self.orders(), number=number, user=user)


class GuestOrderView(OrderPageMixin, View):
    """Reached from the signed link in the confirmation e-mail (shop/returns/links.py)."""

    def dispatch(self, request, *args, **kwargs):
        try:
            valid = order_token_valid(kwargs["number"], kwargs["token"])
        except LinkExpired:
            return render(request, "returns/link_expired.html", status=410)
        if not valid:
            raise Http404("No such order link")
        return super().dispatch(request, *args, **kwargs)

    def get_order(self):
        return get_object_or_404(self.orders(), number=self.kwargs["number"])


# --- Dashboard ------------------------------------------------------------------------


class ReturnRequestListView(ListView):
    template_name = "returns/dashboard/request_list.html"
    context_object_name = "requests"
    paginate_by = 50

    def get_queryset(self):
        return ReturnRequest.objects.select_related("order").prefetch_related("lines__order_line")


class RefundListView(ListView):
    template_name = "returns/dashboard/refund_list.html"
    context_object_name = "tasks"
    paginate_by = 50

    def get_queryset(self):
        return RefundTask.objects.select_related("order", "done_by", "refund")


class RefundDoneForm(forms.Form):
    reference = forms.CharField(label="Bank reference of the refund", max_length=128)


class RefundDoneView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        task = get_object_or_404(RefundTask, pk=pk)
        form = RefundDoneForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Give the bank reference of the refund you made.")
            return redirect(reverse("returns-dashboard:refund-list"))
        try:
            done = services.refund_task_done(
                task=task, reference=form.cleaned_data["reference"], user=request.user
            )
        except PaymentError as exc:
            messages.error(request, f"The refund was not made: {exc}")
        else:
            if done:
                messages.success(request, f"Refund for order {task.order.number} recorded.")
            else:
                messages.info(request, "That refund was already recorded as done.")
        return redirect(reverse("returns-dashboard:refund-list"))

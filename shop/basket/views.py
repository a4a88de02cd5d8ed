from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.apps.basket import views
from oscar.apps.basket.views import *  # noqa: F403 (Oscar's names stay importable from here)
from oscar.core.loading import get_model
from oscar.core.utils import redirect_to_referrer

from shop.basket.offers import offers_may_apply
from shop.signin.throttle import address_allowed, address_attempt_failed, lockout_response

Option = get_model("catalogue", "Option")
Product = get_model("catalogue", "Product")


class BasketView(views.BasketView):
    def get_context_data(self, **kwargs):
        self.request.basket.prefetch_line_images()
        return super().get_context_data(**kwargs)

    def remove_deleted_forms(self, formset):
        # Oscar copies every management field from the request; one left out
        # (MIN_NUM_FORMS is optional to Django) was a 500, not a form error.
        data = formset.data.copy()
        for name in formset.management_form.fields:
            data.setdefault(formset.management_form.add_prefix(name), "")
        formset.data = data
        super().remove_deleted_forms(formset)

    def get_upsell_messages(self, basket):
        # Oscar fetches the site's offers again for these; usually there are none.
        if not offers_may_apply(basket):
            return []
        return super().get_upsell_messages(basket)


class BasketAddView(views.BasketAddView):
    """Oscar's, with a clear message for a product that cannot go in a basket."""

    @property
    def product_model(self):
        # Oscar's post fetches the product from here: with what the form and the
        # basket ask of it (its class, its stock records and whether it has
        # options) in two queries, not six.
        return (
            Product.objects.select_related("parent__product_class", "product_class")
            .annotate(
                has_options=Exists(
                    Option.objects.filter(
                        Q(productclass=OuterRef("product_class"))
                        | Q(productclass=OuterRef("parent__product_class"))
                        | Q(product=OuterRef("pk"))
                    )
                )
            )
            .prefetch_related("stockrecords")
        )

    def post(self, request, *args, **kwargs):
        product = Product.objects.select_related("parent").filter(pk=kwargs["pk"]).first()
        if (
            product is None
            or not product.is_public
            or (product.is_child and not product.parent.is_public)
        ):
            messages.error(request, _("Sorry, that product is not available."))
            return redirect_to_referrer(request, "basket:summary")
        if product.is_parent:
            messages.error(request, _("Please choose a fragrance first."))
            return redirect(product.get_absolute_url())
        return super().post(request, *args, **kwargs)


class VoucherAddView(views.VoucherAddView):
    """Oscar's, throttled: wrong codes count against the client address like
    failed sign-ins (shop/signin/throttle.py), so codes cannot be guessed."""

    def post(self, request, *args, **kwargs):
        if not address_allowed(request):
            return lockout_response(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.basket.id and not self.request.basket.contains_voucher(
            form.cleaned_data["code"]
        ):
            address_attempt_failed(self.request, sender=type(self))
        return response

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView
from oscar.apps.basket import views
from oscar.apps.basket.views import *  # noqa: F403 (Oscar's names stay importable from here)
from oscar.core.loading import get_model
from oscar.core.utils import redirect_to_referrer

Product = get_model("catalogue", "Product")


class BasketAddView(views.BasketAddView):
    """Oscar's, with a clear message for a product that cannot go in a basket."""

    def post(self, request, *args, **kwargs):
        product = (
            Product.objects.select_related("parent", "product_class")
            .filter(pk=kwargs["pk"])
            .first()
        )
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
        self.product = product
        return FormView.post(self, request, *args, **kwargs)

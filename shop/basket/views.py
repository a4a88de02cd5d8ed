from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.apps.basket import views
from oscar.apps.basket.views import *  # noqa: F403 (Oscar's names stay importable from here)
from oscar.core.loading import get_model
from oscar.core.utils import redirect_to_referrer

from shop.basket.offers import offers_may_apply

Option = get_model("catalogue", "Option")
Product = get_model("catalogue", "Product")


class BasketView(views.BasketView):
    def get_context_data(self, **kwargs):
        self.request.basket.prefetch_line_images()
        return super().get_context_data(**kwargs)

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

from django.shortcuts import render
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from catalogue.variants import product_family
from catalogue.views import LISTING_PAGE_MODELS
from shop.pagecache.pages import CachedPageMixin

Product = get_model("catalogue", "Product")


class HomeView(CachedPageMixin, TemplateView):
    """The shop's front door: the cream and its five fragrances, one click from each."""

    template_name = "shop/home.html"
    page_models = LISTING_PAGE_MODELS

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        featured = (
            Product.objects.browsable()
            .filter(structure=Product.PARENT)
            .select_related("product_class")
            .order_by("-priority", "id")
            .first()
        )
        if featured is not None:
            ctx["family"] = product_family(featured, self.request, with_alerts=False)
        return ctx


def csrf_failure(request, reason=""):
    """A missing or tampered CSRF token: say so plainly; nothing was changed."""
    return render(request, "shop/csrf_failure.html", {"reason": reason}, status=403)

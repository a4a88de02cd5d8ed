import functools

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView
from oscar.apps.catalogue import views as oscar_views
from oscar.core.loading import get_model

from catalogue.ingredients import PackFacts, allergen_table
from catalogue.variants import fragrances, product_family
from shop.pagecache import revision
from shop.pagecache.pages import CachedPageMixin, FragmentKind, register_fragment
from shop.seo.structured_data import schema_availability

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Ingredient = get_model("catalogue", "Ingredient")

# What the product page reads besides the product's own rows.
FAMILY_PAGE_MODELS = (
    "catalogue.Product",
    "catalogue.ProductClass",
    "catalogue.ProductImage",
    "catalogue.ProductAttribute",
    "catalogue.ProductAttributeValue",
    "catalogue.ProductIngredient",
    "catalogue.Ingredient",
    "catalogue.Category",
    "catalogue.ProductCategory",
    "partner.StockRecord",
)
# What the listings read (and the home page, shop/views.py).
LISTING_PAGE_MODELS = (
    "catalogue.Product",
    "catalogue.ProductClass",
    "catalogue.ProductImage",
    "catalogue.ProductAttribute",
    "catalogue.ProductAttributeValue",
    "catalogue.Category",
    "catalogue.ProductCategory",
    "partner.StockRecord",
)
# What the ingredient pages read: the labels, never stock.
INGREDIENT_PAGE_MODELS = (
    "catalogue.Product",
    "catalogue.ProductAttribute",
    "catalogue.ProductAttributeValue",
    "catalogue.ProductIngredient",
    "catalogue.Ingredient",
)


class ProductDetailView(CachedPageMixin, oscar_views.ProductDetailView):
    """A parent and each of its children render the same page: the fragrance picker.

    The child's own URL opens the page with that fragrance chosen, so it can be
    shared. Without JavaScript the picker is a GET form on the parent's URL,
    answered with a redirect to the chosen child. Anonymous shoppers get the
    page from memory while nothing it shows has changed (shop/pagecache).
    """

    template_folder = "catalogue"
    page_models = FAMILY_PAGE_MODELS

    def get_queryset(self):
        return Product.objects.select_related("product_class", "parent__product_class")

    def get(self, request, *args, **kwargs):
        self.object = product = self.get_object()
        choice = request.GET.get("fragrance")
        if choice is not None and product.is_parent and self.is_viewable(product, request):
            child = product.children.filter(is_public=True, pk=_as_int(choice)).first()
            if child is not None:
                return HttpResponseRedirect(child.get_absolute_url())
            messages.error(
                request, _("That fragrance is not available. Please choose one of those below.")
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.object.is_standalone:
            return ctx
        ctx["family"] = product_family(self.object, self.request, with_labels=True)
        ctx["pack"] = PackFacts.from_settings()
        return ctx

    def get_alert_status(self):
        # Per variant, in product_family: one query for all of them.
        return False

    def page_is_storable(self):
        # A standalone product keeps Oscar's page, whose "recently viewed"
        # strip is the shopper's own.
        return not self.object.is_standalone

    def page_family(self):
        return self.object

    def page_extra(self):
        return {"product_id": self.object.pk}

    def page_served(self, request, response, page):
        # What the rendering view does after rendering: count the view (and
        # Oscar's "recently viewed" cookie), for which the product's id is enough.
        self.send_signal(request, response, _viewed(page.extra["product_id"]))

    def get_alert_form(self):
        return None


@functools.lru_cache(maxsize=256)
def _viewed(pk):
    return Product(pk=pk)


def _variant(pk, request):
    """A fragrance as its page shows it, for a fragment re-rendered alone (once per request)."""
    loaded = request.__dict__.setdefault("_fragrances", {})
    if pk not in loaded:
        child = (
            Product.objects.filter(pk=pk, structure=Product.CHILD, is_public=True)
            .select_related("parent")
            .first()
        )
        loaded[pk] = product_family(child, request).find(pk) if child else None
    return loaded[pk]


def _variant_state(variant):
    # What the page around the fragments shows of a fragrance's stock record: the
    # fragrance a parent page opens on, and the offers of its structured data.
    record = variant.stockrecord
    return (
        variant.is_available_to_buy,
        schema_availability(variant),
        variant.price.incl_tax if variant.price.exists else None,
        record.partner_sku if record else None,
    )


for _template in ("availability", "price", "purchase"):
    register_fragment(
        f"oscar/catalogue/partials/variant_{_template}.html",
        FragmentKind(
            name="variant",
            key=lambda variant: variant.pk,
            scope=revision.stock_scope,
            state=_variant_state,
            load=_variant,
        ),
    )


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class CatalogueView(CachedPageMixin, ListView):
    """All browsable products, straight from the database.

    Oscar's listing asks the search backend, which with haystack's simple
    backend finds nothing (Oscar issue #4366); a shop this size needs no index.
    """

    template_name = "oscar/catalogue/browse.html"
    page_models = LISTING_PAGE_MODELS
    context_object_name = "products"
    paginate_by = 20

    def get_queryset(self):
        return (
            Product.objects.browsable()
            .select_related("product_class")
            .prefetch_related("images")
            .order_by("-priority", "title")
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # Only pagination raises here: an out-of-range or non-numeric page.
            messages.error(request, _("The given page number was invalid."))
            return redirect(request.path)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("All products")
        return ctx


class ProductCategoryView(CatalogueView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            return redirect("catalogue:index")
        expected = self.category.get_absolute_url()
        if request.path != expected:
            return redirect(expected, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(categories__in=self.category.get_descendants_and_self())
            .distinct()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.name
        return ctx


class IngredientListView(CachedPageMixin, TemplateView):
    """Every ingredient, what it does, and which fragrances contain it."""

    template_name = "oscar/catalogue/ingredient_list.html"
    page_models = INGREDIENT_PAGE_MODELS

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        shop_fragrances = fragrances()
        ctx["ingredients"] = [
            (ingredient, [f for f in shop_fragrances if f.label.contains(ingredient)])
            for ingredient in Ingredient.objects.all()
        ]
        ctx["allergens"] = allergen_table(shop_fragrances)
        ctx["fragrances"] = shop_fragrances
        return ctx


class IngredientDetailView(CachedPageMixin, TemplateView):
    """One ingredient explained, with the fragrances that have it and those free of it."""

    template_name = "oscar/catalogue/ingredient_detail.html"
    page_models = INGREDIENT_PAGE_MODELS

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ingredient = get_object_or_404(Ingredient, slug=kwargs["slug"])
        shop_fragrances = fragrances()
        ctx["ingredient"] = ingredient
        ctx["present_in"] = [f for f in shop_fragrances if f.label.contains(ingredient)]
        ctx["free_in"] = [f for f in shop_fragrances if not f.label.contains(ingredient)]
        ctx["percent"] = next(
            (
                line.percent_text
                for f in ctx["present_in"]
                for line in f.label.lines
                if line.ingredient.pk == ingredient.pk and line.percent is not None
            ),
            "",
        )
        return ctx

"""/sitemap.xml: one section per kind of page. A new kind is one more line in SITEMAPS."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse
from oscar.core.loading import get_model

from shop.blog.sitemaps import ArticleSitemap

Product = get_model("catalogue", "Product")
Ingredient = get_model("catalogue", "Ingredient")


class PageSitemap(Sitemap):
    """Pages that are one URL each."""

    def items(self):
        return ["home", "blog:index", "ingredients:ingredient-list"]

    def location(self, item):
        return reverse(item)


class ProductSitemap(Sitemap):
    """Public products, each fragrance (child) with its own URL, under a public parent."""

    def items(self):
        return (
            Product.objects.filter(is_public=True)
            .filter(Q(parent__isnull=True) | Q(parent__is_public=True))
            .only("pk", "slug", "structure", "date_updated")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.date_updated


class IngredientSitemap(Sitemap):
    def items(self):
        return Ingredient.objects.only("slug").order_by("slug")


SITEMAPS = {
    "pages": PageSitemap,
    "products": ProductSitemap,
    "articles": ArticleSitemap,
    "ingredients": IngredientSitemap,
}

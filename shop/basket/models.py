from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from oscar.apps.basket.abstract_models import AbstractBasket


class Basket(AbstractBasket):
    def all_lines(self):
        """Oscar's cached lines, fetched once with all a line needs.

        Each line's price and availability need its product, its parent's
        product class and its stock record: joined here rather than fetched line
        by line. Evaluated at once, so "is the basket empty?" and the lines
        themselves are one query, not a COUNT and then a SELECT. Line
        attributes (a product's options) are fetched only for the lines that
        have some, which the same query tells: this shop's fragrances have none.
        """
        if self.id is None:
            return super().all_lines()
        if self._lines is None:
            LineAttribute = self.lines.model.attributes.rel.related_model
            self._lines = (
                self.lines.select_related(
                    "product__parent__product_class",
                    "product__product_class",
                    "stockrecord__partner",
                )
                .annotate(has_attributes=Exists(LineAttribute.objects.filter(line=OuterRef("pk"))))
                .order_by(self._meta.pk.name)
            )
            lines = list(self._lines)
            # Known to be empty, without a query (a none() queryset runs none).
            prefetch_related_objects(
                [line for line in lines if not line.has_attributes],
                Prefetch("attributes", LineAttribute.objects.none()),
            )
            prefetch_related_objects([line for line in lines if line.has_attributes], "attributes")
        return self._lines

    def prefetch_line_images(self):
        """The lines' product images, in one query, for the pages that show them
        (the basket page, the checkout preview); the header's basket summary,
        on every page, does not need them."""
        prefetch_related_objects(list(self.all_lines()), "product__images")


from oscar.apps.basket.models import *  # noqa: E402

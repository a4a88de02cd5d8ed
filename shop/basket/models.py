from oscar.apps.basket.abstract_models import AbstractBasket


class Basket(AbstractBasket):
    def all_lines(self):
        """Oscar's cached lines, fetched once with all a line needs.

        Each line's price and availability need its product, its parent's
        product class and its stock record: joined here rather than fetched line
        by line. Evaluated at once, so "is the basket empty?" and the lines
        themselves are one query, not a COUNT and then a SELECT.
        """
        if self.id is None:
            return super().all_lines()
        if self._lines is None:
            self._lines = (
                self.lines.select_related(
                    "product__parent__product_class",
                    "product__product_class",
                    "stockrecord__partner",
                )
                .prefetch_related("attributes", "product__images")
                .order_by(self._meta.pk.name)
            )
            len(self._lines)
        return self._lines


from oscar.apps.basket.models import *  # noqa: E402

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from oscar.apps.partner import prices, strategy
from oscar.apps.partner.strategy import *  # noqa: F403 (Oscar's names stay importable from here)

from shop.partner.availability import StockRequired as StockRequiredAvailability

PENNY = Decimal("0.01")


def excl_vat(incl_tax: Decimal) -> Decimal:
    """The part of a VAT-inclusive amount before VAT, to the penny."""
    return (incl_tax / (1 + settings.SHOP_VAT_RATE)).quantize(PENNY, ROUND_HALF_UP)


class StockRequired(strategy.StockRequired):
    def availability_policy(self, product, stockrecord):
        if not stockrecord:
            return strategy.Unavailable()
        if not product.get_product_class().track_stock:
            return strategy.Available()
        return StockRequiredAvailability(
            stockrecord.net_stock_level, stockrecord.low_stock_threshold
        )


class VATInclusivePrice:
    """UK-style prices: the stock record holds what the shopper pays, VAT included.

    The VAT part is derived from it, so the price shown and charged is always
    exactly the stock record's price.
    """

    def _price(self, stockrecord):
        if not stockrecord or stockrecord.price is None:
            return prices.Unavailable()
        incl_tax = stockrecord.price
        excl_tax = excl_vat(incl_tax)
        return prices.TaxInclusiveFixedPrice(
            currency=stockrecord.price_currency, excl_tax=excl_tax, tax=incl_tax - excl_tax
        )

    def pricing_policy(self, product, stockrecord):
        return self._price(stockrecord)

    def parent_pricing_policy(self, product, children_stock):
        records = [r for _child, r in children_stock if r is not None and r.price is not None]
        return self._price(min(records, key=lambda r: r.price) if records else None)


class UKStrategy(
    strategy.UseFirstStockRecord, StockRequired, VATInclusivePrice, strategy.Structured
):
    def fetch_for_line(self, line, stockrecord=None):
        # The line knows its stock record (fetched with it): no query per line.
        return self.fetch_for_product(line.product, stockrecord or line.stockrecord)


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return UKStrategy(request)

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability

from shop.partner.models import is_low_stock


class StockRequired(availability.StockRequired):
    """Stock shown honestly: never a raw count above the low-stock threshold.

    "In stock" above the threshold, "Only N left" at or below it, "Sold out"
    at zero. Whether a quantity may be bought is Oscar's rule, with the shop's limit
    of SHOP_MAX_JARS_PER_FRAGRANCE in one order (the basket and checkout both ask here).
    """

    CODE_LOW_STOCK = "lowstock"

    def __init__(self, num_available, low_stock_threshold=None):
        super().__init__(max(num_available or 0, 0))
        self.low_stock_threshold = low_stock_threshold

    @property
    def is_low(self) -> bool:
        # Sold out is also low (the alert's view); the shopper is told "Sold out".
        return self.num_available > 0 and is_low_stock(
            available=self.num_available, threshold=self.low_stock_threshold
        )

    @property
    def code(self):
        if self.is_low:
            return self.CODE_LOW_STOCK
        return super().code

    @property
    def message(self) -> str:
        if self.num_available <= 0:
            return str(_("Sold out"))
        if self.is_low:
            return str(_("Only %(count)d left")) % {"count": self.num_available}
        return str(_("In stock"))

    short_message = message

    def is_purchase_permitted(self, quantity):
        limit = settings.SHOP_MAX_JARS_PER_FRAGRANCE
        # Whichever bound is lower is the one to tell the shopper.
        if quantity > limit and self.num_available > limit:
            return False, _("at most %(max)d jars of one fragrance can be bought in one order") % {
                "max": limit
            }
        return super().is_purchase_permitted(quantity)

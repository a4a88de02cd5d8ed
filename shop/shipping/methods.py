from decimal import Decimal

from django.conf import settings
from oscar.apps.shipping import methods
from oscar.core import prices

from shop.partner.strategy import excl_vat


class UKDelivery(methods.Base):
    """A delivery method from settings.SHOP_DELIVERY_METHODS; its charge includes VAT.

    Free from a basket total (VAT included) when `free_from` is set. Computed
    from the basket on the server at every step, never taken from the form.
    """

    def __init__(self, *, code, name, description, charge, free_from=None):
        self.code = code
        self.name = name
        self.description = description
        self.charge = Decimal(charge)
        self.free_from = Decimal(free_from) if free_from else None

    def is_free_for(self, basket) -> bool:
        return self.free_from is not None and basket.total_incl_tax >= self.free_from

    def calculate(self, basket):
        incl_tax = Decimal("0.00") if self.is_free_for(basket) else self.charge
        return prices.Price(
            currency=basket.currency, excl_tax=excl_vat(incl_tax), incl_tax=incl_tax
        )


def delivery_methods() -> list[UKDelivery]:
    return [UKDelivery(**spec) for spec in settings.SHOP_DELIVERY_METHODS]

from django.db import models
from oscar.apps.order.abstract_models import AbstractOrder


class Order(AbstractOrder):
    # The version of the Terms of sale (settings.SHOP_TERMS_VERSION) the order was placed
    # under; the confirmation e-mail names it. Blank for orders placed before it existed.
    terms_version = models.CharField(max_length=32, blank=True, default="")


from oscar.apps.order.models import *  # noqa: E402, F403

from oscar.apps.basket import utils
from oscar.apps.basket.utils import *  # noqa: F403 (Oscar's names stay importable from here)

from shop.basket.offers import offers_may_apply


class BasketMessageGenerator(utils.BasketMessageGenerator):
    def apply_messages(self, request, offers_before):
        # Oscar re-applies every offer after a basket change to tell the shopper
        # what changed: with no site offer and no voucher nothing can have, and
        # re-applying would fetch the offers, the vouchers and the lines again.
        if offers_may_apply(request.basket):
            super().apply_messages(request, offers_before)

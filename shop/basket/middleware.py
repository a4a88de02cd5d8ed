from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from oscar.apps.basket import middleware
from oscar.core.loading import get_class, get_model

from shop.basket.offers import offers_may_apply

Applicator = get_class("offer.applicator", "Applicator")
Voucher = get_model("voucher", "Voucher")


class BasketMiddleware(middleware.BasketMiddleware):
    def get_basket(self, request):
        if request._basket_cache is None and request.user.is_authenticated:
            # A signed-in customer's basket may be created, or merged with the
            # cookie's, which writes several rows: all or nothing, also in the
            # checkout steps that run without the request's transaction.
            # (Inside that transaction this adds no savepoint and no query.)
            with transaction.atomic(savepoint=False):
                return super().get_basket(request)
        return super().get_basket(request)

    def apply_offers_to_basket(self, request, basket):
        """Apply offers only when some could apply."""
        if basket.is_empty:
            return
        may_apply = offers_may_apply(basket)
        if not basket.has_vouchers:
            # Known to be empty: Oscar reads the basket's vouchers several times
            # (basket page, order placement); an empty cache answers without a
            # query. Adding a voucher clears it.
            prefetch_related_objects([basket], Prefetch("vouchers", Voucher.objects.none()))
        if may_apply:
            Applicator().apply(basket, request.user, request)

from django.core.signing import BadSignature, Signer
from django.db import transaction
from oscar.apps.basket import middleware
from oscar.core.loading import get_class, get_model

from shop.basket.offers import may_have_offers, offers_may_apply

Applicator = get_class("offer.applicator", "Applicator")
Basket = get_model("basket", "Basket")


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

    def get_cookie_basket(self, cookie_key, request, manager):
        # Oscar's, asking in the same query whether offers could apply.
        basket = None
        if cookie_key in request.COOKIES:
            try:
                basket_id = Signer().unsign(request.COOKIES[cookie_key])
                basket = may_have_offers(Basket.objects).get(
                    pk=basket_id, owner=None, status=Basket.OPEN
                )
            except (BadSignature, Basket.DoesNotExist, ValueError):
                request.cookies_to_delete.append(cookie_key)
        return basket

    def apply_offers_to_basket(self, request, basket):
        """Apply offers only when some could apply."""
        if basket.is_empty:
            return
        may_apply = offers_may_apply(basket)
        if not basket.has_vouchers:
            # Known to be empty: Oscar reads the basket's vouchers several times
            # (basket page, order placement); an empty cache answers without a
            # query. Adding a voucher clears it.
            basket._prefetched_objects_cache = {
                **getattr(basket, "_prefetched_objects_cache", {}),
                "vouchers": basket.vouchers.none(),
            }
        if may_apply:
            Applicator().apply(basket, request.user, request)

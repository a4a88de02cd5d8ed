from django.db.models import Exists, OuterRef
from oscar.apps.basket import middleware
from oscar.core.loading import get_class, get_model

Applicator = get_class("offer.applicator", "Applicator")
Basket = get_model("basket", "Basket")
ConditionalOffer = get_model("offer", "ConditionalOffer")


class BasketMiddleware(middleware.BasketMiddleware):
    def apply_offers_to_basket(self, request, basket):
        """Apply offers only when some could apply.

        Oscar asks for the site's offers and for the basket's vouchers on every
        request with a basket: two queries even in a shop that has no offers.
        One query answers whether either exists; the offers are fetched only
        then, so a new offer or voucher applies from the next request on.
        """
        if basket.is_empty:
            return
        site_offers = ConditionalOffer.active.filter(offer_type=ConditionalOffer.SITE)
        vouchers = Basket.vouchers.through.objects.filter(basket=OuterRef("pk"))
        may_apply = (
            Basket.objects.filter(pk=basket.pk)
            .annotate(has_site_offers=Exists(site_offers), has_vouchers=Exists(vouchers))
            .values_list("has_site_offers", "has_vouchers")
            .first()
        )
        has_site_offers, has_vouchers = may_apply or (False, False)
        if not has_vouchers:
            # Known to be empty: Oscar reads the basket's vouchers several times
            # (basket page, order placement); an empty cache answers without a
            # query. Adding a voucher clears it.
            basket._prefetched_objects_cache = {
                **getattr(basket, "_prefetched_objects_cache", {}),
                "vouchers": basket.vouchers.none(),
            }
        if has_site_offers or has_vouchers:
            Applicator().apply(basket, request.user, request)

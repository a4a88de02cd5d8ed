"""Whether offers could apply to a basket, asked without fetching them.

Oscar fetches the site's offers and the basket's vouchers on every request
with a basket, after every basket change and again for the basket page's
upsell messages: queries that find nothing in a shop without offers. Asked
once per request with a basket (one query, `may_have_offers`), offers are
fetched only when some could apply, so a new offer or voucher applies from the
next request on.
"""

from django.db.models import Exists, OuterRef
from oscar.core.loading import get_model


def may_have_offers(queryset):
    """The baskets, each told whether any site offer is active or it holds a voucher."""
    # Models looked up here: Oscar loads basket.utils, which imports this, while
    # it is still registering the models.
    Basket = get_model("basket", "Basket")
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    return queryset.annotate(
        has_site_offers=Exists(ConditionalOffer.active.filter(offer_type=ConditionalOffer.SITE)),
        has_vouchers=Exists(Basket.vouchers.through.objects.filter(basket=OuterRef("pk"))),
    )


def offers_may_apply(basket) -> bool:
    """Whether any site offer is active or the basket holds a voucher (asked once)."""
    if not hasattr(basket, "has_site_offers"):
        basket.has_site_offers, basket.has_vouchers = (
            may_have_offers(get_model("basket", "Basket").objects.filter(pk=basket.pk))
            .values_list("has_site_offers", "has_vouchers")
            .first()
        ) or (False, False)
    return basket.has_site_offers or basket.has_vouchers

"""The header's basket count, on every page, without loading the basket.

Loading a basket the Oscar way (the basket, its lines with products and stock
records, their prices through the strategy, the offers) costs more server time
than serving a whole stored page. The header only says how many jars there
are: when the page has loaded the basket anyway, that is asked of it; for
anyone else it is one query summing the open cookie basket's quantities.
"""

from django.conf import settings
from django.core.signing import BadSignature, Signer
from django.db.models import Sum
from django.utils.functional import SimpleLazyObject, empty
from oscar.core.loading import get_model

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")


def basket_item_count(request) -> int:
    basket = getattr(request, "basket", None)
    if basket is None:
        return 0
    unloaded = isinstance(basket, SimpleLazyObject) and basket._wrapped is empty
    if not unloaded or request.user.is_authenticated:
        # A signed-in shopper's basket is loaded as Oscar does, which also
        # merges a basket they filled before signing in.
        return basket.num_items
    cookie = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    if not cookie:
        return 0
    try:
        basket_id = int(Signer().unsign(cookie))
    except (BadSignature, ValueError):
        return 0
    lines = Line.objects.filter(basket_id=basket_id, basket__owner=None, basket__status=Basket.OPEN)
    return lines.aggregate(count=Sum("quantity"))["count"] or 0

"""The signed link in a guest's confirmation e-mail to their order's page."""

from django.conf import settings
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.urls import reverse

SALT = "shop.returns.order-link"


class LinkExpired(Exception):
    pass


def _signer() -> TimestampSigner:
    return TimestampSigner(salt=SALT)


def order_token(order) -> str:
    """The signature (with its time) of the order number: "<time>:<signature>"."""
    return _signer().sign(order.number).split(":", 1)[1]


def order_token_valid(number: str, token: str) -> bool:
    """True for a genuine, unexpired link to order `number`; LinkExpired when it was
    genuine but is older than SHOP_GUEST_ORDER_LINK_DAYS; False otherwise."""
    try:
        _signer().unsign(f"{number}:{token}", max_age=settings.SHOP_GUEST_ORDER_LINK_DAYS * 86400)
    except SignatureExpired as exc:
        raise LinkExpired from exc
    except BadSignature:
        return False
    return True


def order_manage_path(order) -> str:
    """The order's page: in the customer's account, or the guest's signed link."""
    if order.user_id:
        return reverse("returns:order", kwargs={"number": order.number})
    kwargs = {"number": order.number, "token": order_token(order)}
    return reverse("returns:guest-order", kwargs=kwargs)

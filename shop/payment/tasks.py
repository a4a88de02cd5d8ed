from django_tasks import task
from oscar.core.loading import get_model

from shop.payment.services import checkout_session_sync

Order = get_model("order", "Order")


@task()
def expire_card_session(order_number: str) -> str:
    """A cancelled card order's Stripe page is expired, so it no longer takes a payment."""
    return checkout_session_sync(order=Order.objects.get(number=order_number), expire=True)

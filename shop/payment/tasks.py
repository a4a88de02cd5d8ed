from django_tasks import task

from shop.payment.services import checkout_session_expire


@task()
def expire_card_session(order_number: str) -> str:
    return checkout_session_expire(order_number=order_number)

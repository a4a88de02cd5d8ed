from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from shop.contact.models import ContactMessage
from shop.mail.services import email_event


def contact_rate_exceeded(*, client: str) -> bool:
    """Counts this client's messages in the current period in Django's cache (Redis in
    production, shared by all processes): True once more than SHOP_CONTACT_RATE."""
    key = f"contact-rate:{client}"
    cache.add(key, 0, timeout=settings.SHOP_CONTACT_RATE_PERIOD)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.SHOP_CONTACT_RATE_PERIOD)
        count = 1
    return count > settings.SHOP_CONTACT_RATE


@transaction.atomic
def contact_message_create(*, name: str, email: str, order_number: str, message: str):
    """Store the message and queue its e-mail to staff (reply goes to the customer)."""
    contact = ContactMessage.objects.create(
        name=name, email=email, order_number=order_number, message=message
    )
    with email_event("CONTACT_MESSAGE", contact.pk):
        EmailMessage(
            subject=f"Contact form: {name}" + (f", order {order_number}" if order_number else ""),
            body=render_to_string("contact/emails/message_staff.txt", {"contact": contact}),
            to=[settings.SHOP_CUSTOMER_SERVICE_EMAIL],
            reply_to=[email],
        ).send()
    return contact

"""Personal data: what a customer can take away, what deleting an account erases, and
what the retention job erases when its period ends (STORE.md, "Privacy")."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

from shop.contact.models import ContactMessage
from shop.mail.models import OutgoingEmail
from shop.payment.models import OrderPayment
from shop.returns.models import ReturnRequest

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
UserAddress = get_model("address", "UserAddress")
ProductAlert = get_model("customer", "ProductAlert")
SignupRequest = get_model("customer", "SignupRequest")
Email = get_model("communication", "Email")

ADDRESS_FIELDS = ("title", "first_name", "last_name", "line1", "line2", "line3", "line4")
ADDRESS_ERASED = {
    **dict.fromkeys(ADDRESS_FIELDS, ""),
    "state": "",
    "postcode": "",
    "search_text": "",
}


def _address(address) -> dict | None:
    if address is None:
        return None
    return {
        "name": address.name,
        "lines": list(address.active_address_fields()),
        "postcode": address.postcode,
        "phone_number": str(getattr(address, "phone_number", "") or ""),
    }


def customer_data_export(*, user) -> dict:
    """Everything the shop holds about a signed-in customer, as JSON-able data."""
    orders = (
        Order.objects.filter(user=user)
        .select_related("shipping_address__country", "billing_address__country")
        .prefetch_related("lines")
        .order_by("date_placed")
    )
    return {
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "addresses": [
            {**_address(address), "is_default_for_shipping": address.is_default_for_shipping}
            for address in UserAddress.objects.filter(user=user).select_related("country")
        ],
        "orders": [
            {
                "number": order.number,
                "placed": order.date_placed.isoformat(),
                "status": order.status,
                "email": order.email,
                "currency": order.currency,
                "total_incl_tax": str(order.total_incl_tax),
                "shipping_incl_tax": str(order.shipping_incl_tax),
                "shipping_method": order.shipping_method,
                "terms_version": order.terms_version,
                "shipping_address": _address(order.shipping_address),
                "billing_address": _address(order.billing_address),
                "lines": [
                    {
                        "title": line.title,
                        "sku": line.partner_sku,
                        "quantity": line.quantity,
                        "price_incl_tax": str(line.line_price_incl_tax),
                    }
                    for line in order.lines.all()
                ],
            }
            for order in orders
        ],
        "alerts": [
            {
                "product": alert.product.get_title(),
                "status": alert.status,
                "created": alert.date_created.isoformat(),
            }
            for alert in ProductAlert.objects.filter(user=user).select_related("product")
        ],
        "contact_messages": [
            {"sent": m.created_at.isoformat(), "order_number": m.order_number, "message": m.message}
            for m in ContactMessage.objects.filter(email__iexact=user.email)
        ],
    }


@transaction.atomic
def customer_delete(*, user) -> None:
    """Delete the account and erase the customer's personal data now.

    Their orders are tax records: they keep their e-mail, names and addresses (as a
    guest's order would) until the retention job erases them, SHOP_ORDER_RETENTION_DAYS
    after each order. Everything else goes now: the account, saved addresses and e-mail
    change requests (cascade), alerts, contact messages, sign-up attempts with the address
    and the e-mails sent to them.
    """
    email = user.email
    Order.objects.filter(user=user).update(user=None, guest_email=email)
    if email:
        ProductAlert.objects.filter(email__iexact=email).delete()
        ContactMessage.objects.filter(email__iexact=email).delete()
        _emails_to(email).delete()
        # Sign-ups tried with the address (kept an hour to limit the e-mails it gets).
        SignupRequest.objects.filter(email__iexact=email).delete()
    Email.objects.filter(user=user).delete()
    # Sign-in attempts name the account (django-axes): they go with it.
    names = Q(username__iexact=user.get_username()) | Q(
        username__iexact=email or user.get_username()
    )
    for log in (AccessAttempt, AccessFailureLog, AccessLog):
        log.objects.filter(names).delete()
    get_user_model().objects.filter(pk=user.pk).delete()


def _emails_to(email: str):
    """The outbox's delivered (or failed) e-mails to or about this address."""
    done = [OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED]
    return OutgoingEmail.objects.filter(status__in=done).filter(
        to__icontains=email
    ) | OutgoingEmail.objects.filter(status__in=done, reply_to__icontains=email)


def orders_erase_personal_data(*, before) -> int:
    """Orders placed before `before` lose their e-mail, names, phones and addresses (and any
    return reason); their lines, totals and payments stay for the tax records."""
    orders = Order.objects.filter(date_placed__lt=before).filter(
        Q(user__isnull=False) | ~Q(guest_email="")
    )
    count = 0
    for order in orders.select_related("user").iterator():
        with transaction.atomic():
            email = order.email
            Order.objects.filter(pk=order.pk).update(user=None, guest_email="")
            if order.shipping_address_id:
                ShippingAddress.objects.filter(pk=order.shipping_address_id).update(
                    **ADDRESS_ERASED, phone_number="", notes=""
                )
            if order.billing_address_id:
                BillingAddress.objects.filter(pk=order.billing_address_id).update(**ADDRESS_ERASED)
            ReturnRequest.objects.filter(order=order).update(reason="")
            OrderPayment.objects.filter(order=order).update(client_address=None)
            if email:
                Email.objects.filter(email__iexact=email, date_sent__lt=before).delete()
            count += 1
    return count


def personal_data_erase(now=None) -> str:
    """The retention periods of the privacy notice, applied (the daily job of SHOP_JOBS)."""
    now = now or timezone.now()
    order_cutoff = now - timedelta(days=settings.SHOP_ORDER_RETENTION_DAYS)
    contact_cutoff = now - timedelta(days=settings.SHOP_CONTACT_RETENTION_DAYS)
    orders = orders_erase_personal_data(before=order_cutoff)
    contacts, _ = ContactMessage.objects.filter(created_at__lt=contact_cutoff).delete()
    contact_emails, _ = OutgoingEmail.objects.filter(
        event="CONTACT_MESSAGE", created_at__lt=contact_cutoff
    ).delete()
    # Copies of e-mails (confirmations, dispatch notices) are not the tax record: the
    # order is. They go when the order's personal data goes.
    old_emails, _ = OutgoingEmail.objects.filter(created_at__lt=order_cutoff).delete()
    return (
        f"{orders} orders erased, {contacts} contact messages and "
        f"{contact_emails + old_emails} e-mails deleted"
    )

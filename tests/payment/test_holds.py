"""Holds on stock end by themselves: bank-transfer reminders and expiry, and the limits
that refuse the "hold every jar" attack (two guest checkouts held all 25 Rose in 6.9 s)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.order.processing import PAID, EventHandler
from shop.payment import jobs
from shop.payment.models import OrderPayment
from tests.checkout.helpers import add_to_basket, guest_checkout, placed_order

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def allocated(product) -> int:
    return StockRecord.objects.get(product=product).num_allocated or 0


def placed_days_ago(order, days):
    Order.objects.filter(pk=order.pk).update(date_placed=timezone.now() - timedelta(days=days))


def shopper_emails(sent_emails):
    return [m.subject for m in sent_emails() if m.to == ["guest@example.com"]]


def test_an_unpaid_bank_transfer_is_reminded_once_then_cancelled(client, rose, sent_emails):
    order = placed_order(rose, quantity=2, client=client)
    sent_emails().clear()

    placed_days_ago(order, 1)
    assert jobs.bank_transfers_remind() == "0 bank-transfer orders reminded"
    placed_days_ago(order, 3)
    assert jobs.bank_transfers_remind() == "1 bank-transfer orders reminded"
    assert jobs.bank_transfers_remind() == "0 bank-transfer orders reminded"
    reminder = [m for m in sent_emails() if m.to == ["guest@example.com"]]
    assert [m.subject for m in reminder] == [
        f"Your order {order.number} is waiting for your payment"
    ]
    assert "Sort code" in reminder[0].body
    assert order.number in reminder[0].body
    assert jobs.bank_transfers_expire() == "0 unpaid bank-transfer orders cancelled"
    assert allocated(rose) == 2

    placed_days_ago(order, 8)
    assert jobs.bank_transfers_expire() == "1 unpaid bank-transfer orders cancelled"

    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert allocated(rose) == 0
    assert shopper_emails(sent_emails)[-1] == f"Your order {order.number} is cancelled"


def test_paid_orders_are_neither_reminded_nor_cancelled(client, rose, admin_user):
    order = placed_order(rose, client=client)
    EventHandler(user=admin_user).change_status(order, PAID)
    placed_days_ago(order, 30)

    assert jobs.bank_transfers_remind() == "0 bank-transfer orders reminded"
    assert jobs.bank_transfers_expire() == "0 unpaid bank-transfer orders cancelled"


def test_more_than_ten_jars_of_one_fragrance_are_refused_with_a_message(client, rose):
    response = add_to_basket(client, rose, 20)

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "at most 10 jars of one fragrance" in page.content.decode()
    assert allocated(rose) == 0
    add_to_basket(client, rose, 10)
    response = add_to_basket(client, rose, 1)  # 11 in all
    assert "at most 10 jars" in client.get(response["Location"]).content.decode()


def test_the_hold_every_jar_attack_is_refused(client, rose):
    """Guest checkouts with throw-away e-mails from one address: two hold jars, the third
    is told to pay first, and the product stays on sale."""
    for n in (1, 2):
        guest_checkout(client, rose, quantity=10, email=f"throwaway{n}@example.com")
    response = guest_checkout(client, rose, quantity=5, email="throwaway3@example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:preview")
    page = client.get(response["Location"]).content.decode()
    assert "You already have 2 orders waiting for payment" in page
    assert Order.objects.count() == 2
    assert allocated(rose) == 20  # 5 Rose still for sale


def test_the_limit_counts_by_email_from_any_address(client, rose):
    for _ in (1, 2):
        guest_checkout(client, rose, email="guest@example.com", quantity=1)
    OrderPayment.objects.update(client_address="192.0.2.1")  # placed elsewhere

    response = guest_checkout(client, rose, email="GUEST@example.com")

    assert response["Location"] == reverse("checkout:preview")
    assert Order.objects.count() == 2


def test_the_client_address_comes_from_the_proxy_header_when_set(client, rose, settings):
    settings.SHOP_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    client.defaults["HTTP_X_REAL_IP"] = "198.51.100.7"

    guest_checkout(client, rose)

    assert Order.objects.get().payment.client_address == "198.51.100.7"

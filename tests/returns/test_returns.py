"""Customers cancel before dispatch, or return after it, from the order's page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from shop.returns.links import order_manage_path, order_token
from shop.returns.models import RefundTask, ReturnRequest
from tests.checkout.helpers import placed_order

Order = get_model("order", "Order")
OrderStatusChange = get_model("order", "OrderStatusChange")
StockRecord = get_model("partner", "StockRecord")
EventHandler = get_class("order.processing", "EventHandler")

pytestmark = pytest.mark.django_db


def stock(clary):
    record = StockRecord.objects.get(product=clary)
    return record.num_in_stock, record.num_allocated


def move(order, *statuses):
    for status in statuses:
        EventHandler().handle_order_status_change(order, status)
    order.refresh_from_db()


def test_a_guest_cancels_an_unpaid_order_before_dispatch(client, clary, sent_emails):
    order = placed_order(clary, quantity=2)
    assert stock(clary) == (4, 2)
    sent_emails().clear()
    page = order_manage_path(order)

    assert "Cancel this order" in client.get(page).content.decode()
    response = client.post(page, {"action": "cancel"}, follow=True)

    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert stock(clary) == (4, 0)
    assert "nothing to refund" in response.content.decode()
    assert RefundTask.objects.count() == 0
    assert [m.subject for m in sent_emails()] == [f"Your order {order.number} is cancelled"]


def test_cancelling_a_paid_bank_transfer_order_records_a_refund_for_staff(
    client, clary, admin_client
):
    order = placed_order(clary, quantity=2)
    move(order, "Paid")

    response = client.post(order_manage_path(order), {"action": "cancel"}, follow=True)

    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert stock(clary) == (4, 0)
    refund = RefundTask.objects.get()
    assert (refund.order, refund.amount, refund.method) == (
        order,
        Decimal("36.00"),
        "Bank transfer",
    )
    assert "We will refund £36.00" in response.content.decode()
    # Staff see it, pay it, record the bank reference.
    listing = admin_client.get(reverse("returns-dashboard:refund-list")).content.decode()
    assert order.number in listing
    assert "£36.00" in listing
    admin_client.post(
        reverse("returns-dashboard:refund-done", kwargs={"pk": refund.pk}), {"reference": "BR-1"}
    )
    refund.refresh_from_db()
    assert (refund.status, refund.refund.reference, refund.refund.amount) == (
        "done",
        "BR-1",
        Decimal("36.00"),
    )
    assert order.sources.get().amount_refunded == Decimal("36.00")


def test_cancelling_twice_refunds_once(client, clary):
    order = placed_order(clary, quantity=2)
    move(order, "Paid")
    page = order_manage_path(order)

    client.post(page, {"action": "cancel"})
    response = client.post(page, {"action": "cancel"}, follow=True)

    assert RefundTask.objects.count() == 1
    assert "This order has been cancelled." in response.content.decode()


def test_a_return_after_dispatch_is_recorded_and_e_mailed_to_staff(
    client, clary, settings, sent_emails
):
    order = placed_order(clary, quantity=2)
    move(order, "Paid", "Shipped")
    sent_emails().clear()
    page = order_manage_path(order)
    line = order.lines.get()

    html = client.get(page).content.decode()
    assert "Return this order" in html
    assert "Cancel this order" not in html
    response = client.post(
        page,
        {"action": "return", f"line_{line.pk}": "1", "reason": "Too strong for me"},
        follow=True,
    )

    request = ReturnRequest.objects.get()
    assert request.order == order
    assert request.reason == "Too strong for me"
    assert [(ln.order_line, ln.quantity) for ln in request.lines.all()] == [(line, 1)]
    [staff_mail] = sent_emails()
    assert staff_mail.to == [settings.SHOP_CUSTOMER_SERVICE_EMAIL]
    assert order.number in staff_mail.subject
    assert "Too strong for me" in staff_mail.body
    html = response.content.decode()
    assert "What to do next" in html
    assert "1 Example Street" in html


@pytest.mark.parametrize(
    ("quantity", "message"),
    [("0", "Choose at least one jar"), ("3", "less than or equal to 2"), ("x", "whole number")],
)
def test_a_bad_return_changes_nothing_and_says_why(client, clary, quantity, message):
    order = placed_order(clary, quantity=2)
    move(order, "Paid", "Shipped")
    line = order.lines.get()

    response = client.post(
        order_manage_path(order), {"action": "return", f"line_{line.pk}": quantity}, follow=True
    )

    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert ReturnRequest.objects.count() == 0


def test_outside_the_window_or_cancelled_a_clear_message(client, clary, settings):
    order = placed_order(clary, quantity=2)
    move(order, "Paid", "Shipped")
    OrderStatusChange.objects.filter(order=order).update(
        date_created=timezone.now() - timedelta(days=settings.SHOP_RETURN_WINDOW_DAYS + 1)
    )
    page = order_manage_path(order)

    html = client.get(page).content.decode()
    assert "can no longer be returned online" in html
    client.post(page, {"action": "return", f"line_{order.lines.get().pk}": "1"})
    assert ReturnRequest.objects.count() == 0

    other = placed_order(clary, email="other@example.com", quantity=1)
    move(other, "Cancelled")
    assert "This order has been cancelled." in client.get(order_manage_path(other)).content.decode()


def test_a_guest_cannot_reach_another_guests_order(client, clary):
    mine = placed_order(clary, email="me@example.com", quantity=1)
    theirs = placed_order(clary, email="them@example.com", quantity=1)

    url = reverse(
        "returns:guest-order", kwargs={"number": theirs.number, "token": order_token(mine)}
    )
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "cancel"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "Pending payment"
    # Nor through the signed-in customer's URL.
    assert client.get(reverse("returns:order", kwargs={"number": theirs.number})).status_code == 302


def test_a_wrong_or_expired_link_is_refused(client, clary, settings):
    order = placed_order(clary, quantity=1)
    token = order_token(order)
    wrong = reverse("returns:guest-order", kwargs={"number": order.number, "token": token + "x"})

    assert client.get(wrong).status_code == 404

    settings.SHOP_GUEST_ORDER_LINK_DAYS = -1  # every link is older than that
    url = reverse("returns:guest-order", kwargs={"number": order.number, "token": token})
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "Pending payment"


def test_a_signed_in_customer_cancels_from_their_account(client, clary, django_user_model):
    user = django_user_model.objects.create_user("ann", "ann@example.com", "pw-for-tests")
    order = placed_order(clary, email="ann-guest@example.com", quantity=1)
    Order.objects.filter(pk=order.pk).update(user=user, guest_email="")
    client.force_login(user)

    detail = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert reverse("returns:order", kwargs={"number": order.number}) in detail.content.decode()
    client.post(reverse("returns:order", kwargs={"number": order.number}), {"action": "cancel"})

    order.refresh_from_db()
    assert order.status == "Cancelled"
    other = django_user_model.objects.create_user("bob", "bob@example.com", "pw-for-tests")
    client.force_login(other)
    assert client.get(reverse("returns:order", kwargs={"number": order.number})).status_code == 404


def test_staff_see_return_requests(admin_client, clary):
    order = placed_order(clary, quantity=2)
    move(order, "Paid", "Shipped")
    Client().post(
        order_manage_path(order), {"action": "return", f"line_{order.lines.get().pk}": "2"}
    )

    html = admin_client.get(reverse("returns-dashboard:request-list")).content.decode()

    assert order.number in html
    assert "× 2" in html


def test_cancelling_a_paid_card_order_refunds_the_card_at_once(client, clary, stripe_server):
    from shop.payment.models import Refund
    from tests.conftest import run_ready_tasks
    from tests.payment.helpers import place_card_order, post_event

    order, _ = place_card_order(Client(), clary, quantity=2)
    session = stripe_server.pay(order.payment.session_id)
    post_event(client, stripe_server, stripe_server.event("checkout.session.completed", session))
    order.refresh_from_db()
    assert order.status == "Paid"

    response = client.post(order_manage_path(order), {"action": "cancel"}, follow=True)

    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert stock(clary) == (4, 0)
    refund = Refund.objects.get(order=order)
    assert (refund.method, refund.amount) == ("card", Decimal("36.00"))
    assert refund.reference  # Stripe's refund id
    assert RefundTask.objects.count() == 0
    assert "we have refunded £36.00 to your card" in response.content.decode()
    # Paid orders have no Stripe page left to expire: no task asks, no false "refund it".
    run_ready_tasks()
    order.refresh_from_db()
    assert not order.payment.flag

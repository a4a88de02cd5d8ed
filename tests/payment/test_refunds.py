"""Refunds from the dashboard's order page: through Stripe for cards, recorded for transfers."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db.models import Sum
from django.urls import reverse
from oscar.core.loading import get_model

from shop.order.processing import PAID, SHIPPED, EventHandler
from shop.payment.models import Refund
from shop.payment.services import PaymentError, order_refund
from shop.stock.models import StockMovement
from tests.checkout.helpers import placed_order
from tests.payment.helpers import place_card_order, post_event

Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_card_order(client, lavender, rose, stripe_server):
    """A guest's card order of 2 Lavender + 1 Rose (£54.00, free delivery), paid."""
    from tests.checkout.helpers import add_to_basket

    add_to_basket(client, rose, 1)
    order, _ = place_card_order(client, lavender, quantity=2)
    session = stripe_server.pay(order.payment.session_id)
    post_event(client, stripe_server, stripe_server.event("checkout.session.completed", session))
    order.refresh_from_db()
    assert order.status == PAID
    return order


def refund_url(order):
    return reverse("payment:refund", kwargs={"number": order.number})


def line_of(order, product):
    return order.lines.get(product=product)


def stock(product) -> StockRecord:
    return StockRecord.objects.get(product=product)


def ledger_adds_up(product) -> bool:
    record = stock(product)
    return record.movements.aggregate(total=Sum("quantity"))["total"] == record.num_in_stock


def test_partial_then_full_card_refund_double_submitted_makes_one_refund_each(
    admin_client, paid_card_order, lavender, rose, stripe_server, sent_emails
):
    order = paid_card_order
    partial = {"key": "k-partial", "scope": "lines", f"line_{line_of(order, lavender).pk}": "1"}

    for _ in range(2):  # a double click
        response = admin_client.post(refund_url(order), partial)
        assert response.status_code == 302
    full = {"key": "k-full", "scope": "all"}
    for _ in range(2):
        admin_client.post(refund_url(order), full)

    refunds = list(order.refunds.order_by("created_at"))
    assert [r.amount for r in refunds] == [Decimal("18.00"), Decimal("36.00")]
    assert sum(r.amount for r in refunds) == order.total_incl_tax
    assert [r["amount"] for r in stripe_server.refunds.values()] == [1800, 3600]
    assert [r.reference for r in refunds] == list(stripe_server.refunds)
    assert stripe_server.calls.count(("POST", "/v1/refunds")) == 2
    assert order.sources.get().amount_refunded == order.total_incl_tax
    assert PaymentEvent.objects.filter(order=order, event_type__name="Refunded").count() == 2
    subjects = [m.subject for m in sent_emails() if m.to == ["guest@example.com"]]
    assert subjects.count(f"Refund for order {order.number}") == 2
    # Not shipped: the refunded jars were never sent, so their hold is released.
    assert stock(lavender).num_allocated == 0
    assert stock(rose).num_allocated == 0
    assert not StockMovement.objects.filter(reason=StockMovement.Reason.RETURNED).exists()


def test_nothing_left_to_refund_is_a_message(admin_client, paid_card_order):
    admin_client.post(refund_url(paid_card_order), {"key": "k1", "scope": "all"})

    response = admin_client.post(
        refund_url(paid_card_order), {"key": "k2", "scope": "all"}, follow=True
    )

    assert "already been refunded" in response.content.decode()
    assert paid_card_order.refunds.count() == 1


def test_shipped_jars_go_back_to_stock_only_when_staff_say_so(
    admin_client, paid_card_order, lavender, rose, admin_user
):
    order = paid_card_order
    EventHandler(user=admin_user).change_status(order, SHIPPED)
    lavender_before, rose_before = stock(lavender).num_in_stock, stock(rose).num_in_stock

    admin_client.post(
        refund_url(order),
        {"key": "a", "scope": "lines", f"line_{line_of(order, lavender).pk}": "2", "restock": "on"},
    )
    admin_client.post(
        refund_url(order), {"key": "b", "scope": "lines", f"line_{line_of(order, rose).pk}": "1"}
    )

    assert stock(lavender).num_in_stock == lavender_before + 2
    assert stock(rose).num_in_stock == rose_before  # opened jar: not back on the shelf
    movement = StockMovement.objects.get(reason=StockMovement.Reason.RETURNED)
    assert movement.quantity == 2
    assert order.number in movement.note
    assert ledger_adds_up(lavender)
    assert ledger_adds_up(rose)


def test_more_jars_than_ordered_are_refused(admin_client, paid_card_order, lavender):
    order = paid_card_order
    response = admin_client.post(
        refund_url(order),
        {"key": "x", "scope": "lines", f"line_{line_of(order, lavender).pk}": "3"},
        follow=True,
    )
    assert "Refund not made" in response.content.decode()
    assert not Refund.objects.exists()


def test_a_bank_transfer_refund_needs_its_bank_reference(
    client, admin_client, lavender, admin_user, sent_emails
):
    order = placed_order(lavender, client=client)
    EventHandler(user=admin_user).change_status(order, PAID)

    response = admin_client.post(refund_url(order), {"key": "b1", "scope": "all"}, follow=True)
    assert "bank reference" in response.content.decode()
    assert not Refund.objects.exists()

    admin_client.post(refund_url(order), {"key": "b2", "scope": "all", "reference": "BACS 7781"})
    refund = Refund.objects.get()
    assert (refund.amount, refund.reference, refund.method) == (
        Decimal("21.95"),
        "BACS 7781",
        "bank-transfer",
    )
    assert any("BACS 7781" in m.body for m in sent_emails())


def test_an_unpaid_order_has_nothing_to_refund(client, lavender):
    order = placed_order(lavender, client=client)
    with pytest.raises(PaymentError, match="not been paid"):
        order_refund(order=order, restock=False, reference="r", key="k")


def test_only_staff_with_the_order_permission_refund(client, paid_card_order, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", "clerk@example.com", "pw", is_staff=True)
    client.force_login(clerk)
    response = client.post(refund_url(paid_card_order), {"key": "c", "scope": "all"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not Refund.objects.exists()

    clerk.user_permissions.add(Permission.objects.get(codename="change_order"))
    client.post(refund_url(paid_card_order), {"key": "c", "scope": "all"})
    assert Refund.objects.count() == 1


def test_the_order_page_offers_the_refund_form(admin_client, paid_card_order):
    page = admin_client.get(
        reverse("dashboard:order-detail", kwargs={"number": paid_card_order.number})
    )
    assert page.status_code == 200
    assert "data-refund-form" in page.content.decode()

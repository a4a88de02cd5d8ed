"""Card payments through Stripe Checkout, against the Stripe-compatible server in tests/."""

import json
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.payment import jobs
from shop.payment.models import OrderPayment, StripeEvent
from tests.checkout.helpers import guest_checkout, preview, ready_to_place
from tests.payment.helpers import place_card_order, post_event, session_of
from tests.payment.stripe_server import sign

Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def to_shopper(outbox) -> list[str]:
    return [m.subject for m in outbox if m.to == ["guest@example.com"]]


def allocated(product) -> int:
    return StockRecord.objects.get(product=product).num_allocated or 0


def test_place_order_by_card_redirects_to_a_session_priced_from_the_order(
    client, clary, stripe_server
):
    order, response = place_card_order(client, clary, quantity=2)

    assert response.status_code == 303
    session = session_of(stripe_server, order)
    assert response["Location"] == session["url"]
    assert order.status == "Pending payment"
    assert allocated(clary) == 2  # the jars are held while the shopper pays
    assert order.total_incl_tax == Decimal("36.00")  # 2 × £18.00, free delivery from £35
    assert session["amount_total"] == 3600
    assert session["currency"] == "gbp"
    assert session["metadata"] == {"order_number": order.number}
    assert session["customer_email"] == "guest@example.com"
    assert [
        (i["price_data"]["product_data"]["name"], i["price_data"]["unit_amount"], i["quantity"])
        for i in session["line_items_sent"]
    ] == [("Magnesium Body Cream – Clary Sage", "1800", "2")]
    assert 30 * 60 <= session["expires_at"] - time.time() <= 32 * 60
    assert order.sources.get().source_type.name == "Card"


def test_pay_again_reuses_the_session(client, clary, stripe_server):
    order, first = place_card_order(client, clary)
    second = client.get(reverse("payment:pay"))

    assert second["Location"] == first["Location"]
    assert len(stripe_server.sessions) == 1
    assert stripe_server.calls.count(("POST", "/v1/checkout/sessions")) == 1


def test_a_lost_write_gets_the_same_session_from_the_idempotency_key(client, clary, stripe_server):
    order, first = place_card_order(client, clary)
    OrderPayment.objects.filter(order=order).update(session_id="", session_url="")

    second = client.get(reverse("payment:pay"))

    assert second["Location"] == first["Location"]
    assert len(stripe_server.sessions) == 1


def test_paid_webhook_marks_the_order_paid_through_the_staff_code(
    client, clary, stripe_server, sent_emails
):
    order, _ = place_card_order(client, clary)
    session = stripe_server.pay(order.payment.session_id)

    response = post_event(
        client, stripe_server, stripe_server.event("checkout.session.completed", session)
    )

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == "Paid"
    event = PaymentEvent.objects.get(order=order)
    assert event.event_type.name == "Paid by card"
    assert event.reference == session["payment_intent"]
    source = order.sources.get()
    assert source.reference == session["payment_intent"]
    assert source.amount_debited == order.total_incl_tax
    # The "paid" e-mail is the confirmation: nothing was sent when the order was placed.
    outbox = sent_emails()
    assert to_shopper(outbox) == [f"Payment received for order {order.number}"]
    confirmation = next(m for m in outbox if m.to == ["guest@example.com"])
    assert "1 × Magnesium Body Cream – Clary Sage" not in confirmation.body
    assert "Magnesium Body Cream – Clary Sage - quantity: 1" in confirmation.body
    assert "1 High Street" in confirmation.body
    assert allocated(clary) == 1  # still held until shipped


def test_the_same_event_twice_changes_nothing_the_second_time(client, clary, stripe_server):
    order, _ = place_card_order(client, clary)
    event = stripe_server.event(
        "checkout.session.completed", stripe_server.pay(order.payment.session_id)
    )

    assert post_event(client, stripe_server, event).content == b"paid"
    assert post_event(client, stripe_server, event).content == b"duplicate"
    assert PaymentEvent.objects.filter(order=order).count() == 1
    assert StripeEvent.objects.count() == 1


@pytest.mark.parametrize(
    "forgery",
    [
        pytest.param({"body": "tampered"}, id="tampered-body"),
        pytest.param({"secret": "whsec_not_ours"}, id="wrong-secret"),
        pytest.param({"timestamp": int(time.time()) - 600}, id="stale-timestamp"),
        pytest.param({"header": ""}, id="no-signature"),
    ],
)
def test_a_webhook_not_signed_by_stripe_is_refused_and_changes_nothing(
    client, clary, stripe_server, forgery
):
    order, _ = place_card_order(client, clary)
    event = stripe_server.event(
        "checkout.session.completed", stripe_server.pay(order.payment.session_id)
    )
    payload = json.dumps(event).encode()
    if "body" in forgery:
        header = sign(payload, stripe_server.webhook_secret)
        payload = payload.replace(b'"paid"', b'"paid" ')
        response = client.post(
            "/checkout/stripe/webhook/",
            data=payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
    elif "header" in forgery:
        response = client.post(
            "/checkout/stripe/webhook/", data=payload, content_type="application/json"
        )
    else:
        response = post_event(client, stripe_server, event, **forgery)

    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == "Pending payment"
    assert not StripeEvent.objects.exists()


def test_the_webhook_takes_post_only(client, stripe_server):
    assert client.get("/checkout/stripe/webhook/").status_code == 405


def test_an_amount_that_differs_flags_the_order_and_does_not_mark_it_paid(
    client, clary, stripe_server, admin_client
):
    order, _ = place_card_order(client, clary)
    session = stripe_server.pay(order.payment.session_id, amount_total=100)

    response = post_event(
        client, stripe_server, stripe_server.event("checkout.session.completed", session)
    )

    assert response.content == b"flagged"
    order.refresh_from_db()
    assert order.status == "Pending payment"
    assert "Stripe took 1 GBP" in order.payment.flag
    page = admin_client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    assert "Check this payment" in page.content.decode()


def test_unknown_orders_and_event_types_are_acknowledged(client, stripe_server):
    unknown = {"id": "cs_test_x", "metadata": {"order_number": "999"}, "status": "complete"}
    for type_ in ("checkout.session.completed", "customer.created"):
        response = post_event(client, stripe_server, stripe_server.event(type_, unknown))
        assert response.status_code == 200


def test_a_lost_webhook_is_caught_by_the_thank_you_page(client, clary, stripe_server):
    order, _ = place_card_order(client, clary)
    stripe_server.pay(order.payment.session_id)  # Stripe's webhook never arrives

    page = client.get(reverse("checkout:thank-you"), {"session_id": order.payment.session_id})

    assert "Payment received" in page.content.decode()
    order.refresh_from_db()
    assert order.status == "Paid"


def test_a_lost_webhook_is_caught_by_the_reconciliation_job(client, clary, stripe_server):
    order, _ = place_card_order(client, clary)
    stripe_server.pay(order.payment.session_id)
    past = timezone.now() - timedelta(minutes=1)
    OrderPayment.objects.filter(order=order).update(expires_at=past)

    assert jobs.card_orders_reconcile() == "1 card orders reconciled: paid"

    order.refresh_from_db()
    assert order.status == "Paid"


def test_an_expired_session_cancels_the_order_releases_stock_and_restores_the_basket(
    client, clary, stripe_server, sent_emails
):
    order, _ = place_card_order(client, clary, quantity=3)
    assert allocated(clary) == 3
    session = stripe_server.sessions[order.payment.session_id]
    session["status"] = "expired"

    response = post_event(
        client, stripe_server, stripe_server.event("checkout.session.expired", session)
    )

    assert response.content == b"cancelled"
    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert allocated(clary) == 0
    assert to_shopper(sent_emails()) == [f"Your order {order.number} is cancelled"]
    # Stripe ended the page itself: nothing asks Stripe to expire it again.
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.filter(task_path__endswith="expire_card_session").exists()
    # The shopper comes back: the jars are in the basket again, once.
    response = client.get(reverse("payment:cancelled"), follow=True)
    assert "back in your basket" in response.content.decode()
    assert [(line.product, line.quantity) for line in response.context["basket"].all_lines()] == [
        (clary, 3)
    ]
    client.get(reverse("payment:cancelled"))
    assert response.context["basket"].all_lines()[0].quantity == 3


def test_the_job_expires_a_session_left_open_past_its_time(client, clary, stripe_server):
    order, _ = place_card_order(client, clary)
    past = timezone.now() - timedelta(minutes=1)
    OrderPayment.objects.filter(order=order).update(expires_at=past)

    assert jobs.card_orders_reconcile() == "1 card orders reconciled: cancelled"

    assert session_of(stripe_server, order)["status"] == "expired"
    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert allocated(clary) == 0


def test_the_shopper_cancels_from_the_page_stripe_sends_them_back_to(client, clary, stripe_server):
    order, _ = place_card_order(client, clary, quantity=2)
    page = client.get(session_of(stripe_server, order)["cancel_url"])
    assert "Pay now" in page.content.decode()

    response = client.post(reverse("payment:cancelled"), follow=True)

    assert session_of(stripe_server, order)["status"] == "expired"  # can no longer be paid
    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert allocated(clary) == 0
    assert [(line.product, line.quantity) for line in response.context["basket"].all_lines()] == [
        (clary, 2)
    ]


def test_a_cancel_after_paying_keeps_the_order(client, clary, stripe_server):
    order, _ = place_card_order(client, clary)
    stripe_server.pay(order.payment.session_id)  # paid in another tab, webhook not yet here

    client.post(reverse("payment:cancelled"))

    order.refresh_from_db()
    assert order.status == "Paid"


def test_without_stripe_keys_the_shop_takes_bank_transfer_only(client, clary, settings):
    settings.STRIPE_SECRET_KEY = ""
    ready_to_place(client, clary)
    page = preview(client).content.decode()
    assert "Card, Apple Pay" not in page
    assert "Bank transfer" in page

    response = guest_checkout(client, clary)  # the form sends no choice
    assert response["Location"] == reverse("checkout:thank-you")
    assert Order.objects.get().payment.method == "bank-transfer"


def test_with_keys_card_is_the_default_and_bank_transfer_the_alternative(
    client, clary, stripe_server
):
    ready_to_place(client, clary)
    page = preview(client).content.decode()
    assert 'value="card" id="pay-card" form="place_order_form" checked' in page

    order, response = place_card_order(client, clary, method="bank-transfer")

    assert response["Location"] == reverse("checkout:thank-you")
    assert order.payment.method == "bank-transfer"
    assert not stripe_server.sessions


def test_stripe_down_at_place_order_keeps_the_order_and_offers_to_try_again(
    client, clary, stripe_server
):
    stripe_server.api_key = "sk_test_rotated"  # Stripe answers 401

    order, response = place_card_order(client, clary)

    assert response["Location"] == reverse("payment:cancelled")
    page = client.get(reverse("payment:cancelled"))
    assert "not answering" in page.content.decode()
    assert Order.objects.get().status == "Pending payment"


def test_a_delayed_payment_waits_then_succeeds(client, clary, stripe_server):
    order, _ = place_card_order(client, clary)
    session = stripe_server.sessions[order.payment.session_id]
    session.update(status="complete", payment_status="unpaid")  # e.g. a bank debit, pending

    completed = stripe_server.event("checkout.session.completed", session)
    assert post_event(client, stripe_server, completed).content == b"no change"
    order.refresh_from_db()
    assert order.status == "Pending payment"

    session.update(payment_status="paid", payment_intent="pi_test_delayed")
    succeeded = stripe_server.event("checkout.session.async_payment_succeeded", session)
    assert post_event(client, stripe_server, succeeded).content == b"paid"
    order.refresh_from_db()
    assert order.status == "Paid"


def test_a_delayed_payment_that_fails_cancels_the_order(client, clary, stripe_server):
    order, _ = place_card_order(client, clary, quantity=2)
    session = stripe_server.sessions[order.payment.session_id]
    session.update(status="complete", payment_status="unpaid")

    failed = stripe_server.event("checkout.session.async_payment_failed", session)
    assert post_event(client, stripe_server, failed).content == b"cancelled"

    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert allocated(clary) == 0


def test_a_retry_after_stripe_failed_for_a_while_gets_a_session_stripe_accepts(
    client, clary, stripe_server
):
    stripe_server.api_key = "sk_test_rotated"  # Stripe refuses for a while
    order, _ = place_card_order(client, clary)
    OrderPayment.objects.filter(order=order).update(
        expires_at=timezone.now() + timedelta(minutes=20)  # chosen 11 minutes ago
    )
    stripe_server.api_key = "sk_test_shop"

    response = client.get(reverse("payment:pay"))

    assert response.status_code == 303
    assert session_of(stripe_server, order)["expires_at"] - time.time() > 30 * 60


def staff_cancels(order):
    from tests.factories import signed_in_client

    staff = signed_in_client(is_staff=True, is_superuser=True)
    response = staff.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
        {"order_action": "change_order_status", "new_status": "Cancelled"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "Cancelled"


def test_staff_cancelling_a_card_order_expires_its_payment_page(client, clary, stripe_server):
    from tests.conftest import run_ready_tasks

    order, _ = place_card_order(client, clary)
    session_id = order.payment.session_id

    staff_cancels(order)
    assert session_of(stripe_server, order)["status"] == "open"  # after the commit, by the worker
    run_ready_tasks()

    assert session_of(stripe_server, order)["status"] == "expired"
    with pytest.raises(Exception, match="not open"):
        stripe_server.pay(session_id)  # the shopper's page no longer takes a payment
    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert allocated(clary) == 0
    assert not order.payment.flag


def test_a_card_order_paid_before_its_page_expired_is_flagged_for_a_refund(
    client, clary, stripe_server
):
    from tests.conftest import run_ready_tasks

    order, _ = place_card_order(client, clary)
    staff_cancels(order)
    stripe_server.pay(order.payment.session_id)  # paid just before the worker got to it

    run_ready_tasks()

    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert "refund it" in order.payment.flag

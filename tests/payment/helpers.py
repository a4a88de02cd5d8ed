import json

from django.urls import reverse
from oscar.core.loading import get_model

from tests.checkout.helpers import place_order, preview, ready_to_place
from tests.payment.stripe_server import sign

Order = get_model("order", "Order")

WEBHOOK = "/checkout/stripe/webhook/"


def place_card_order(client, product, quantity=1, email="guest@example.com", method="card"):
    """Basket to Stripe's page; returns (order, the response of /checkout/pay/)."""
    ready_to_place(client, product, quantity, email)
    fingerprint = preview(client).context["fingerprint"]
    response = client.post(
        reverse("checkout:preview"),
        {"action": "place_order", "fingerprint": fingerprint, "payment_method": method},
    )
    assert response.status_code == 302, response
    order = Order.objects.get(guest_email=email, status="Pending payment")
    if method != "card":
        return order, response
    assert response["Location"] == reverse("payment:pay")
    return order, client.get(reverse("payment:pay"))


def session_of(stripe_server, order) -> dict:
    return stripe_server.sessions[order.payment.session_id]


def post_event(client, stripe_server, event, *, secret=None, timestamp=None, body=None):
    payload = body if body is not None else json.dumps(event).encode()
    return client.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret or stripe_server.webhook_secret, timestamp),
    )


__all__ = ["place_card_order", "place_order", "post_event", "session_of"]

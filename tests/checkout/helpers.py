"""A shopper's way through checkout, step by step, with the Django test client."""

from django.urls import reverse

ADDRESS = {
    "first_name": "Ann",
    "last_name": "Shopper",
    "line1": "1 High Street",
    "line4": "London",
    "postcode": "SW1A 1AA",
    "country": "GB",
}


def add_to_basket(client, product, quantity=1):
    return client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": quantity},
        HTTP_REFERER=product.get_absolute_url(),
    )


def start_guest_checkout(client, email="guest@example.com"):
    return client.post(reverse("checkout:index"), {"username": email, "options": "anonymous"})


def give_address(client, **changes):
    return client.post(reverse("checkout:shipping-address"), {**ADDRESS, **changes})


def choose_delivery(client, code="uk-standard"):
    return client.post(reverse("checkout:shipping-method"), {"method_code": code})


def preview(client):
    return client.get(reverse("checkout:preview"))


def place_order(client, fingerprint=None):
    if fingerprint is None:
        fingerprint = preview(client).context["fingerprint"]
    return client.post(
        reverse("checkout:preview"), {"action": "place_order", "fingerprint": fingerprint}
    )


def guest_checkout(client, product, quantity=1, email="guest@example.com", code="uk-standard"):
    """Basket to placed order; returns the response of "place order"."""
    add_to_basket(client, product, quantity)
    start_guest_checkout(client, email)
    give_address(client)
    choose_delivery(client, code)
    return place_order(client)

"""A shopper's way through checkout, step by step: with the Django test client,
or over HTTP against a running server (`LiveShopper`)."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

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


def ready_to_place(
    client, product, quantity=1, email="guest@example.com", code="uk-standard", *, address=None
):
    """A guest with `product` in the basket, an address (ADDRESS with the `address` changes)
    and a delivery method: at the preview."""
    add_to_basket(client, product, quantity)
    start_guest_checkout(client, email)
    give_address(client, **(address or {}))
    choose_delivery(client, code)


def guest_checkout(
    client, product, quantity=1, email="guest@example.com", code="uk-standard", *, address=None
):
    """Basket to placed order; returns the response of "place order"."""
    ready_to_place(client, product, quantity, email, code, address=address)
    return place_order(client)


def placed_order(product, quantity=1, email="guest@example.com", *, client=None, address=None):
    """The order a guest places for `quantity` jars of `product`, through every step of
    checkout in `client`'s session (a browser of their own unless given)."""
    from django.test import Client
    from oscar.core.loading import get_model

    response = guest_checkout(client or Client(), product, quantity, email, address=address)
    assert response["Location"] == reverse("checkout:thank-you"), response
    return get_model("order", "Order").objects.filter(guest_email=email).latest("pk")


class LiveShopper:
    """A shopper against a running server: own cookie jar (session, basket, CSRF)
    and own HTTP connections. Follows redirects like a browser; returns
    (status, final URL, HTML), 4xx and 5xx included."""

    def __init__(self, base, name):
        self.base = base
        self.name = name
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.token = ""
        self.page = base + "/"

    def open(self, path, data=None):
        if data is not None:
            data = {"csrfmiddlewaretoken": self.token, **data}
        return self.open_url(self.base + path, data)

    def open_url(self, url, data=None):
        """Any URL (another site's too, such as a payment page); `data` makes it a POST."""
        if data is not None:
            data = urllib.parse.urlencode(data).encode()
        # The page the shopper is on, as a browser sends it (CSRF, "back to" redirects).
        request = urllib.request.Request(url, data=data, headers={"Referer": self.page})
        try:
            with self.opener.open(request, timeout=120) as response:
                html = response.read().decode()
                status, url = response.status, response.url
        except urllib.error.HTTPError as error:
            html, status, url = error.read().decode(), error.code, error.url
        self.page = url
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if found:
            self.token = found.group(1)
        return status, url, html

    def go_to_preview(self, product):
        """Product page to the order preview as a guest; returns the preview's fingerprint."""
        self.open(product.get_absolute_url())
        self.open(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": "1"})
        self.open(
            reverse("checkout:index"),
            {"username": f"{self.name}@example.com", "options": "anonymous"},
        )
        self.open(
            reverse("checkout:shipping-address"),
            {**ADDRESS, "first_name": self.name},
        )
        self.open(reverse("checkout:shipping-method"), {"method_code": "uk-standard"})
        status, _url, html = self.open(reverse("checkout:preview"))
        assert status == 200, html[:500]
        return re.search(r'name="fingerprint" value="([^"]+)"', html).group(1)

    def place_order(self, fingerprint):
        return self.open(
            reverse("checkout:preview"), {"action": "place_order", "fingerprint": fingerprint}
        )


def race_to_place_orders(shoppers, fingerprints):
    """Every shopper presses "Place order" at the same moment (a barrier), each in
    its own thread; returns their (status, final URL, HTML) in shopper order."""
    start = threading.Barrier(len(shoppers))
    results = [None] * len(shoppers)

    def place(i):
        start.wait()
        results[i] = shoppers[i].place_order(fingerprints[i])

    threads = [threading.Thread(target=place, args=(i,)) for i in range(len(shoppers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results

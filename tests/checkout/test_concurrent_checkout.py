"""Shoppers racing through checkout for the last jars, against a live server.

Each shopper has its own cookies (session, basket, CSRF) and its own server
thread and database connection. They fill their baskets and reach the preview
first, then all press "Place order" at the same moment.
"""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from oscar.core.loading import get_model

from tests.factories import create_cream

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

SHOPPERS = 20
JARS = 3


class Shopper:
    def __init__(self, base, name):
        self.base = base
        self.name = name
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.token = ""

    def open(self, path, data=None):
        if data is not None:
            data = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, **data}).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=120) as response:
                html = response.read().decode()
                status, url = response.status, response.url
        except urllib.error.HTTPError as error:
            html, status, url = error.read().decode(), error.code, error.url
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if found:
            self.token = found.group(1)
        return status, url, html


def go_to_preview(shopper, product):
    shopper.open(product.get_absolute_url())
    shopper.open(f"/basket/add/{product.pk}/", {"quantity": "1"})
    shopper.open("/checkout/", {"username": f"{shopper.name}@example.com", "options": "anonymous"})
    shopper.open(
        "/checkout/shipping-address/",
        {
            "first_name": shopper.name,
            "last_name": "Shopper",
            "line1": "1 High Street",
            "line4": "London",
            "postcode": "SW1A 1AA",
        },
    )
    shopper.open("/checkout/shipping-method/", {"method_code": "uk-standard"})
    status, _url, html = shopper.open("/checkout/preview/")
    assert status == 200, html[:500]
    return re.search(r'name="fingerprint" value="([^"]+)"', html).group(1)


@pytest.mark.django_db(transaction=True)
def test_racing_shoppers_get_exactly_the_jars_there_are(live_server, media, reference_data):
    clary = create_cream((("Clary Sage", JARS),), images=False).children.get()
    shoppers = [Shopper(live_server.url, f"shopper{i}") for i in range(SHOPPERS)]
    fingerprints = [go_to_preview(shopper, clary) for shopper in shoppers]
    start = threading.Barrier(SHOPPERS)
    results = [None] * SHOPPERS

    def place(i):
        start.wait()
        results[i] = shoppers[i].open(
            "/checkout/preview/", {"action": "place_order", "fingerprint": fingerprints[i]}
        )

    threads = [threading.Thread(target=place, args=(i,)) for i in range(SHOPPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = [status for status, _url, _html in results]
    assert all(status == 200 for status in statuses), statuses
    placed = [url for _s, url, _h in results if url.endswith("/checkout/thank-you/")]
    refused = [html for _s, url, html in results if url.endswith("/basket/")]
    assert len(placed) == JARS
    assert len(refused) == SHOPPERS - JARS
    for html in refused:
        assert re.search(r"(sold out|no longer available|only \d+ of)", html, re.I)
    assert Order.objects.count() == JARS
    record = StockRecord.objects.get(product=clary)
    assert (record.num_in_stock, record.num_allocated) == (JARS, JARS)
    # The ledger still adds up: allocations are holds, not movements.
    assert sum(record.movements.values_list("quantity", flat=True)) == record.num_in_stock


@pytest.mark.django_db(transaction=True)
def test_two_tabs_placing_the_same_basket_at_once_make_one_order(
    live_server, media, reference_data
):
    clary = create_cream((("Clary Sage", JARS),), images=False).children.get()
    shopper = Shopper(live_server.url, "twotabs")  # one browser: the tabs share cookies
    fingerprint = go_to_preview(shopper, clary)
    start = threading.Barrier(2)
    results = []

    def place():
        start.wait()
        results.append(
            shopper.open(
                "/checkout/preview/", {"action": "place_order", "fingerprint": fingerprint}
            )
        )

    tabs = [threading.Thread(target=place) for _ in range(2)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join()

    assert [status for status, _url, _html in results] == [200, 200]
    assert any(url.endswith("/checkout/thank-you/") for _s, url, _h in results)
    assert Order.objects.count() == 1
    assert StockRecord.objects.get(product=clary).num_allocated == 1

"""Card payments against the live server: Stripe's webhooks arriving at once, and shoppers
racing for the last jars by card. Real sockets, a database connection per request."""

import html
import re
import threading

import pytest
from oscar.core.loading import get_model

from shop.payment.models import StripeEvent
from tests.checkout.helpers import LiveShopper, race_to_place_orders
from tests.factories import create_cream

Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db(transaction=True)

SHOPPERS = 20
JARS = 3


@pytest.fixture
def live_stripe(stripe_server, live_server):
    stripe_server.webhook_url = live_server.url + "/checkout/stripe/webhook/"
    return stripe_server


def test_the_same_event_three_times_at_once_makes_one_transition(
    live_server, live_stripe, media, reference_data, sent_emails
):
    product = create_cream((("Rose", 5),), images=False, threshold=0).children.get()
    shopper = LiveShopper(live_server.url, "ann")
    _status, url, _page = shopper.place_order(shopper.go_to_preview(product))
    assert url.startswith(live_stripe.url + "/pay/"), url
    session = live_stripe.pay(url.rsplit("/", 1)[1])
    event = live_stripe.event("checkout.session.completed", session)

    start, statuses = threading.Barrier(3), []

    def deliver():
        start.wait()
        statuses.append(live_stripe.deliver(event))

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200, 200, 200]
    order = Order.objects.get()
    assert order.status == "Paid"
    assert PaymentEvent.objects.filter(order=order).count() == 1
    assert order.status_changes.count() == 1
    assert StripeEvent.objects.count() == 1
    paid = [m for m in sent_emails() if m.subject.startswith("Payment received")]
    assert len(paid) == 1


def test_twenty_shoppers_race_for_three_jars_by_card(
    live_server, live_stripe, media, reference_data, settings
):
    # All twenty come from loopback: one client address for the open-unpaid-order limit.
    settings.SHOP_MAX_OPEN_UNPAID_ORDERS = SHOPPERS
    product = create_cream((("Rose", JARS),), images=False, threshold=0).children.get()
    shoppers = [LiveShopper(live_server.url, f"shopper{i}") for i in range(SHOPPERS)]
    fingerprints = [shopper.go_to_preview(product) for shopper in shoppers]

    results = race_to_place_orders(shoppers, fingerprints)

    at_stripe = [i for i, (_s, url, _h) in enumerate(results) if url.startswith(live_stripe.url)]
    refused = [page for _s, url, page in results if url.endswith("/basket/")]
    assert (len(at_stripe), len(refused)) == (JARS, SHOPPERS - JARS), [r[:2] for r in results]
    title = re.escape(product.get_title())
    for page in refused:
        assert re.search(
            rf"Sorry, {title} has just sold out\.|'{title}' is no longer available to buy",
            html.unescape(page),
        )
    for i in at_stripe:
        # "Pay" on Stripe's page: the signed webhook reaches the shop, then the shopper.
        _status, url, page = shoppers[i].open_url(results[i][1], data={})
        assert url.endswith("/checkout/thank-you/?session_id=" + results[i][1].rsplit("/", 1)[1])
        assert "Payment received" in page

    assert Order.objects.filter(status="Paid").count() == JARS
    assert Order.objects.count() == JARS
    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.num_allocated) == (JARS, JARS)


def test_one_shoppers_checkouts_at_once_stay_within_the_open_order_limit(
    live_server, media, reference_data, settings
):
    """Five tabs of one shopper (one e-mail, five baskets) press "Place order" at the same
    moment: the open-order limit is counted one checkout after the other, so it holds."""
    settings.SHOP_MAX_OPEN_UNPAID_ORDERS = 1
    product = create_cream((("Rose", 10),), images=False, threshold=0).children.get()
    tabs = [LiveShopper(live_server.url, "ann") for _ in range(5)]
    fingerprints = [tab.go_to_preview(product) for tab in tabs]

    results = race_to_place_orders(tabs, fingerprints)

    assert all(status < 500 for status, _url, _html in results), results
    assert Order.objects.filter(guest_email="ann@example.com").count() == 1
    refused = [page for _status, _url, page in results if "orders waiting for payment" in page]
    assert len(refused) == 4
    assert StockRecord.objects.get(product=product).num_allocated == 1

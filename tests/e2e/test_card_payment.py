"""A guest pays by card: the shop's checkout, Stripe's hosted page (the Stripe-compatible
server in tests/), the signed webhook, and back to the thank-you page."""

import re

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from shop.payment.models import StripeEvent
from tests.e2e.journeys import add_to_basket, checkout_as_guest

Order = get_model("order", "Order")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_guest_pays_by_card_and_the_thank_you_page_says_paid(
    browser, live_server, stripe_server, cream, clary, reference_data, sent_emails
):
    stripe_server.webhook_url = live_server.url + "/checkout/stripe/webhook/"
    shop = browser.new_context()
    page = shop.new_page()

    add_to_basket(page, live_server.url, cream, "Clary Sage", quantity=2)
    checkout_as_guest(page, live_server.url)

    expect(page.get_by_label("Card, Apple Pay or Google Pay")).to_be_checked()
    page.get_by_role("button", name=re.compile("^Place order")).click()

    # Stripe's hosted page (here the test server's), with the total the order has.
    expect(page).to_have_url(re.compile("^" + re.escape(stripe_server.url) + "/pay/cs_test_"))
    expect(page.locator("[data-amount]")).to_have_text("£36.00")
    page.get_by_role("button", name="Pay £36.00").click()

    expect(page).to_have_url(re.compile(re.escape(live_server.url) + "/checkout/thank-you/"))
    expect(page.locator("[data-payment-status]")).to_have_text("Payment received")
    shop.close()

    order = Order.objects.get()
    assert order.status == "Paid"
    assert StripeEvent.objects.get().result == "paid"  # the webhook made it, not the page
    source = order.sources.get()
    assert (source.source_type.name, source.amount_debited) == ("Card", order.total_incl_tax)
    to_shopper = [m.subject for m in sent_emails() if m.to == ["guest@example.com"]]
    assert to_shopper == [f"Payment received for order {order.number}"]
    assert clary.stockrecords.get().num_allocated == 2

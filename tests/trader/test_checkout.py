"""Checkout tells the shopper what they agree to; the confirmation e-mail records it."""

import pytest
from django.test import Client
from oscar.core.loading import get_model

from tests.checkout.helpers import guest_checkout, preview, ready_to_place

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def test_the_preview_shows_every_required_item_before_the_button(client, rose, settings):
    ready_to_place(client, rose, quantity=2, code="uk-express")

    html = preview(client).content.decode()

    agreement = html.index("data-checkout-agreement")
    button = html.index('id="place-order"')
    assert agreement < button
    section = html[agreement:button]
    assert "Rose" in section
    assert "100 ml jar × 2" in section
    assert "£42.95, including VAT and £6.95 delivery" in section
    assert "UK Express: Next working day after dispatch" in section
    assert "By bank transfer" in section
    assert "14 days" in section
    assert 'href="/returns/"' in section
    trader = settings.SHOP_TRADER
    assert trader["name"] in section
    assert trader["company_number"] in section
    assert f"version {settings.SHOP_TERMS_VERSION}" in section
    assert ">Place order and pay</button>" in html


def test_the_order_records_the_terms_version_it_was_placed_under(client, rose, settings):
    settings.SHOP_TERMS_VERSION = "2030-05-06"

    guest_checkout(client, rose)

    assert Order.objects.get().terms_version == "2030-05-06"


def test_the_confirmation_e_mail_is_the_durable_record(rose, sent_emails, smtp, settings):
    smtp.start()
    guest_checkout(Client(), rose, quantity=1)
    sent_emails()

    # (The catalogue's low-stock alert for Clary Sage goes to the stock manager.)
    [message] = [m for m in smtp.sink.messages if m["To"] == "guest@example.com"]
    order = Order.objects.get()
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    trader = settings.SHOP_TRADER
    for body in (text, html):
        assert "MODEL CANCELLATION FORM" in body.upper()
        assert "hereby give notice that I/We [*] cancel" in body
        assert f"version {order.terms_version}" in body
        assert f"http://{settings.SHOP_DOMAIN}/terms/" in body
        assert "14 days" in body
        assert "hygiene seal" in body
        assert "Rose" in body
        assert "100 ml" in body
        assert "UK Standard, 2–4 working days after dispatch" in body
        for fact in ("name", "company_number", "vat_number", "address", "email", "phone"):
            assert trader[fact] in body, fact
    assert f"/orders/{order.number}/" in text  # the guest's link to cancel or return

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.stock.guard import stock_levels_writable
from shop.stock.services import stock_allocate
from tests.checkout.helpers import (
    add_to_basket,
    choose_delivery,
    give_address,
    guest_checkout,
    place_order,
    placed_order,
    preview,
    ready_to_place,
    start_guest_checkout,
)

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def test_guest_checkout_places_a_pending_payment_order(client, clary):
    response = guest_checkout(client, clary, quantity=1)

    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert order.status == "Pending payment"
    assert order.guest_email == "guest@example.com"
    assert order.total_incl_tax == Decimal("21.95")  # £18.00 + £3.95 standard delivery
    assert order.shipping_incl_tax == Decimal("3.95")
    assert order.shipping_code == "uk-standard"
    assert [(line.title, line.quantity) for line in order.lines.all()] == [
        ("Magnesium Body Cream – Clary Sage", 1)
    ]
    source = order.sources.get()
    assert source.source_type.name == "Bank transfer"
    assert source.amount_allocated == order.total_incl_tax
    assert source.reference == order.number


def test_placing_the_order_holds_its_stock(client, clary):
    guest_checkout(client, clary, quantity=3)

    record = StockRecord.objects.get(product=clary)
    assert (record.num_in_stock, record.num_allocated) == (4, 3)
    assert record.net_stock_level == 1


def test_thank_you_page_shows_number_total_address_and_bank_details(client, clary, settings):
    order = placed_order(clary, quantity=2, client=client)

    html = client.get(reverse("checkout:thank-you")).content.decode()

    assert order.number in html
    assert "£36.00" in html
    assert "1 High Street" in html
    assert "SW1A 1AA" in html
    for value in settings.SHOP_BANK_DETAILS.values():
        assert value in html
    assert f"<strong data-payment-reference>{order.number}</strong>" in html


def test_confirmation_email_has_number_total_address_and_bank_details(
    client, clary, settings, sent_emails
):
    order = placed_order(clary, quantity=2, client=client)

    to_shopper = [email for email in sent_emails() if email.to == ["guest@example.com"]]
    assert len(to_shopper) == 1
    email = to_shopper[0]
    assert order.number in email.subject
    body = email.body
    assert f"Payment reference: {order.number}" in body
    assert "£36.00" in body
    assert "1 High Street" in body
    for value in settings.SHOP_BANK_DETAILS.values():
        assert value in body
    html = email.alternatives[0][0]
    assert order.number in html
    assert settings.SHOP_BANK_DETAILS["sort_code"] in html


def test_standard_delivery_is_free_from_35_pounds(client, lavender):
    guest_checkout(client, lavender, quantity=2)  # £36.00

    order = Order.objects.get()
    assert order.shipping_incl_tax == Decimal("0.00")
    assert order.total_incl_tax == Decimal("36.00")


def test_express_delivery_is_never_free(client, lavender):
    guest_checkout(client, lavender, quantity=2, code="uk-express")

    assert Order.objects.get().shipping_incl_tax == Decimal("6.95")


def test_delivery_method_that_does_not_exist_is_refused(client, lavender):
    add_to_basket(client, lavender)
    start_guest_checkout(client)
    give_address(client)

    response = choose_delivery(client, code="free-for-me")

    assert "Your submitted shipping method is not permitted" in response.content.decode()
    assert preview(client).status_code == 302  # no method captured: back a step
    assert not Order.objects.exists()


def test_preview_shows_the_prices_that_are_charged(client, lavender):
    ready_to_place(client, lavender, 1)

    html = preview(client).content.decode()
    place_order(client)

    assert "£21.95" in html
    assert Order.objects.get().total_incl_tax == Decimal("21.95")


def test_a_price_change_after_the_preview_places_no_order(client, lavender):
    ready_to_place(client, lavender, 1)
    fingerprint = preview(client).context["fingerprint"]
    StockRecord.objects.filter(product=lavender).update(price=Decimal("25.00"))

    response = place_order(client, fingerprint=fingerprint)

    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:preview")
    assert not Order.objects.exists()


def test_a_tampered_place_order_form_places_no_order(client, lavender):
    ready_to_place(client, lavender, 1)

    response = place_order(client, fingerprint="tampered")

    assert response.status_code == 302
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("postcode", "NOT A POSTCODE"), ("postcode", ""), ("line1", ""), ("first_name", "")],
)
def test_a_bad_delivery_address_gets_a_form_error(client, lavender, field, value):
    add_to_basket(client, lavender)
    start_guest_checkout(client)

    response = give_address(client, **{field: value})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert field in response.context["form"].errors


def test_delivery_is_to_the_uk_only(client, lavender):
    add_to_basket(client, lavender)
    start_guest_checkout(client)
    give_address(client, country="FR")
    choose_delivery(client)
    place_order(client)

    assert Order.objects.get().shipping_address.country_id == "GB"


def test_place_order_twice_makes_one_order(client, lavender):
    ready_to_place(client, lavender, 1)
    fingerprint = preview(client).context["fingerprint"]

    first = place_order(client, fingerprint=fingerprint)
    second = place_order(client, fingerprint=fingerprint)

    assert first["Location"] == reverse("checkout:thank-you")
    assert second["Location"] == reverse("checkout:thank-you")
    assert Order.objects.count() == 1
    assert StockRecord.objects.get(product=lavender).num_allocated == 1


def test_stock_gone_before_place_order_is_told_in_the_basket(client, clary):
    ready_to_place(client, clary, 3)
    fingerprint = preview(client).context["fingerprint"]
    stock_allocate(stockrecord=clary.stockrecords.get(), quantity=3)  # another shopper's order

    response = place_order(client, fingerprint=fingerprint)

    assert response.status_code == 302
    assert response["Location"] == reverse("basket:summary")
    assert not Order.objects.exists()
    page = client.get(reverse("basket:summary")).content.decode()
    assert "is no longer available to buy (a maximum of 1 can be bought)" in page
    assert StockRecord.objects.get(product=clary).num_allocated == 3


def test_registered_customer_sees_the_order_in_their_account(client, lavender, django_user_model):
    user = django_user_model.objects.create_user("ann", "ann@example.com", "pw-for-tests-only")
    client.force_login(user)
    add_to_basket(client, lavender, 1)
    give_address(client)
    choose_delivery(client)
    place_order(client)

    order = Order.objects.get()
    assert order.user == user
    html = client.get(reverse("customer:order-list")).content.decode()
    assert order.number in html
    assert client.get(reverse("customer:order", args=[order.number])).status_code == 200


def test_an_unexpected_failure_while_placing_keeps_nothing_and_says_so(client, clary):
    # The order number the basket will get is already taken: the unique index
    # refuses the order half-way through placing it.
    add_to_basket(client, clary, 2)
    basket_id = client.get(reverse("basket:summary")).context["basket"].id
    from oscar.test.factories import create_order

    with stock_levels_writable():  # Oscar's factory stocks its own product directly
        create_order(number=str(100000 + basket_id))
    start_guest_checkout(client)
    give_address(client)
    choose_delivery(client)

    response = place_order(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:preview")
    assert Order.objects.count() == 1  # only the one made above
    assert not clary.stockrecords.get().num_allocated
    page = client.get(response["Location"])
    assert "your order could not be placed" in page.content.decode()
    assert page.context["basket"].num_items == 2

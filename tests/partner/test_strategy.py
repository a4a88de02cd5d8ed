from decimal import Decimal

import pytest

from shop.partner.availability import StockRequired
from shop.partner.strategy import Selector
from shop.stock.services import stock_allocate
from tests.factories import create_cream

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("available", "message", "code"),
    [
        (40, "In stock", "instock"),
        (6, "In stock", "instock"),
        (5, "Only 5 left", "lowstock"),
        (1, "Only 1 left", "lowstock"),
        (0, "Sold out", "outofstock"),
        (-2, "Sold out", "outofstock"),
    ],
)
def test_stock_message_at_and_around_the_threshold(available, message, code):
    availability = StockRequired(available, low_stock_threshold=5)

    assert availability.message == message
    assert availability.short_message == message
    assert availability.code == code
    assert availability.is_available_to_buy is (available > 0)


def test_no_threshold_means_never_low():
    assert StockRequired(1, low_stock_threshold=None).message == "In stock"


def test_purchase_is_limited_to_what_is_available():
    availability = StockRequired(4, low_stock_threshold=5)

    assert availability.is_purchase_permitted(4) == (True, "")
    permitted, reason = availability.is_purchase_permitted(5)
    assert not permitted
    assert "maximum of 4" in reason


def test_price_shown_is_the_stock_record_price_with_vat_inside(media):
    child = create_cream((("Lavender", 40),), images=False).children.get()

    price = Selector().strategy().fetch_for_product(child).price

    assert price.incl_tax == Decimal("18.00")
    assert price.excl_tax == Decimal("15.00")
    assert price.tax == Decimal("3.00")
    assert price.currency == "GBP"


def test_vat_rounding_never_changes_the_price_paid(media):
    from tests.factories import add_variant

    parent = create_cream((), images=False)
    odd = add_variant(parent, "Rose", 3, image=False, price="17.99")

    price = Selector().strategy().fetch_for_product(odd).price

    assert price.incl_tax == Decimal("17.99")
    assert price.excl_tax + price.tax == Decimal("17.99")


def test_net_stock_subtracts_allocations(media):
    child = create_cream((("Clary Sage", 6),), images=False).children.get()
    record = child.stockrecords.get()
    stock_allocate(stockrecord=record, quantity=2)

    availability = Selector().strategy().fetch_for_product(child).availability

    assert availability.message == "Only 4 left"


def test_a_variant_without_a_price_does_not_break_the_parent(media):
    parent = create_cream((("Lavender", 40), ("Rose", 4)), images=False)
    parent.children.get(title__endswith="Rose").stockrecords.update(price=None)

    price = Selector().strategy().fetch_for_parent(parent).price

    assert price.incl_tax == Decimal("18.00")

import pytest
from django.db import transaction
from oscar.core.loading import get_model

from shop.stock.services import (
    InsufficientStock,
    StockError,
    stock_allocate,
    stock_allocate_basket,
    stock_consume,
    stock_release,
)
from tests.factories import create_cream

StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db


def counts(record):
    record.refresh_from_db()
    return record.num_in_stock, record.num_allocated or 0


def test_allocate_holds_stock_while_it_is_there(record):
    stock_allocate(stockrecord=record, quantity=3)
    stock_allocate(stockrecord=record, quantity=1)

    assert counts(record) == (4, 4)


def test_allocate_refuses_more_than_available_and_changes_nothing(record):
    stock_allocate(stockrecord=record, quantity=3)

    with pytest.raises(InsufficientStock) as refused:
        stock_allocate(stockrecord=record, quantity=2)

    assert str(refused.value) == (
        "Sorry, only 1 of Magnesium Body Cream – Clary Sage left: please lower the quantity."
    )
    assert refused.value.available == 1
    assert counts(record) == (4, 3)


def test_allocate_on_sold_out_says_sold_out(record):
    stock_allocate(stockrecord=record, quantity=4)

    with pytest.raises(InsufficientStock, match="has just sold out"):
        stock_allocate(stockrecord=record, quantity=1)


@pytest.mark.parametrize("quantity", [0, -1, 10**9, "2"])
def test_nonsense_quantities_are_refused(record, quantity):
    with pytest.raises(StockError):
        stock_allocate(stockrecord=record, quantity=quantity)

    assert counts(record) == (4, 0)


@pytest.mark.parametrize(
    ("service", "left"),
    [(stock_release, (4, 0)), (stock_consume, (1, 0))],
    ids=["release gives back what was held", "consume takes it out of the warehouse"],
)
def test_release_and_consume_act_on_held_stock_and_on_no_more(record, service, left):
    stock_allocate(stockrecord=record, quantity=3)

    service(stockrecord=record, quantity=3)

    assert counts(record) == left
    with pytest.raises(StockError):
        service(stockrecord=record, quantity=1)
    assert counts(record) == left


def basket_of(quantities):
    from shop.partner.strategy import Selector

    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for record, quantity in quantities:
        basket.add_product(record.product, quantity)
    return basket


def test_a_basket_is_held_whole_or_not_at_all(media):
    cream = create_cream((("Lavender", 5), ("Clary Sage", 2)), images=False)
    lavender, clary = (child.stockrecords.get() for child in cream.children.order_by("id"))

    stock_allocate_basket(lines=basket_of([(lavender, 3), (clary, 2)]).all_lines())
    assert (counts(lavender), counts(clary)) == ((5, 3), (2, 2))

    # As in checkout: the refusal rolls back the transaction placing the order.
    with (
        pytest.raises(InsufficientStock, match="Clary Sage has just sold out"),
        transaction.atomic(),
    ):
        stock_allocate_basket(lines=basket_of([(lavender, 1), (clary, 1)]).all_lines())
    assert (counts(lavender), counts(clary)) == ((5, 3), (2, 2))

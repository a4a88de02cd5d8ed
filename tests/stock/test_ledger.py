"""The ledger: movements are history, and they always add up to the stock in hand."""

import pytest
from django.db.models import Sum
from oscar.core.loading import get_model

from shop.stock.models import AppendOnlyError, StockMovement
from shop.stock.services import (
    StockError,
    stock_adjust,
    stock_allocate,
    stock_consume,
    stock_release,
    stock_stocktake,
)
from tests.factories import create_cream

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

Reason = StockMovement.Reason


def ledger_total(record):
    return record.movements.aggregate(total=Sum("quantity"))["total"] or 0


def assert_ledger_holds(record):
    record.refresh_from_db()
    assert ledger_total(record) == record.num_in_stock
    assert record.num_in_stock >= (record.num_allocated or 0) >= 0


def test_a_new_variant_opens_with_a_received_movement(record):
    movement = record.movements.get()
    assert (movement.quantity, movement.reason) == (4, Reason.RECEIVED)
    assert_ledger_holds(record)


def test_adjust_writes_one_movement_with_who_and_why(record, admin_user):
    movement = stock_adjust(
        stockrecord=record, quantity=-1, reason=Reason.DAMAGED, note="Dropped", user=admin_user
    )

    assert record.num_in_stock == 3
    assert (movement.quantity, movement.reason, movement.note) == (-1, "damaged", "Dropped")
    assert movement.user == admin_user
    assert_ledger_holds(record)


def test_adjust_refuses_to_go_below_what_orders_hold(record):
    stock_allocate(stockrecord=record, quantity=3)

    with pytest.raises(StockError, match="3 allocated to orders"):
        stock_adjust(stockrecord=record, quantity=-2, reason=Reason.DAMAGED)

    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated, record.movements.count()) == (4, 3, 1)


def test_adjust_refuses_to_go_below_zero(record):
    with pytest.raises(StockError, match="cannot go below zero"):
        stock_adjust(stockrecord=record, quantity=-5, reason=Reason.DAMAGED)
    assert_ledger_holds(record)
    assert record.num_in_stock == 4


@pytest.mark.parametrize("quantity", [0, "3", 2.5, True, 10**9, -(10**9), None])
def test_adjust_refuses_nonsense_quantities(record, quantity):
    with pytest.raises(StockError):
        stock_adjust(stockrecord=record, quantity=quantity, reason=Reason.RECEIVED)
    assert record.movements.count() == 1


@pytest.mark.parametrize("reason", ["", "stolen", Reason.SHIPPED])
def test_adjust_needs_a_reason_staff_may_give(record, reason):
    with pytest.raises(StockError, match="reason"):
        stock_adjust(stockrecord=record, quantity=1, reason=reason)
    assert record.movements.count() == 1


def test_ledger_adds_up_through_receipts_orders_shipped_and_cancelled(record):
    stock_adjust(stockrecord=record, quantity=10, reason=Reason.RECEIVED)
    stock_allocate(stockrecord=record, quantity=3)
    stock_consume(stockrecord=record, quantity=3)  # shipped
    stock_allocate(stockrecord=record, quantity=2)
    stock_release(stockrecord=record, quantity=2)  # cancelled
    stock_adjust(stockrecord=record, quantity=1, reason=Reason.RETURNED)
    stock_adjust(stockrecord=record, quantity=-2, reason=Reason.DAMAGED)
    stock_stocktake(counts=[(record, 9)])

    assert_ledger_holds(record)
    assert record.num_in_stock == 9
    assert list(record.movements.order_by("id").values_list("reason", "quantity")) == [
        ("received", 4),
        ("received", 10),
        ("shipped", -3),
        ("returned", 1),
        ("damaged", -2),
        ("stocktake", -1),
    ]


def test_stocktake_is_all_or_nothing(media):
    parent = create_cream((("Lavender", 10), ("Rose", 5)), images=False)
    lavender, rose = (child.stockrecords.get() for child in parent.children.order_by("id"))
    stock_allocate(stockrecord=rose, quantity=4)

    with pytest.raises(StockError, match="allocated"):
        stock_stocktake(counts=[(lavender, 12), (rose, 1)])

    for record in (lavender, rose):
        assert record.movements.count() == 1
        assert_ledger_holds(record)
    lavender.refresh_from_db()
    assert lavender.num_in_stock == 10


def test_stocktake_with_no_difference_writes_nothing(record):
    assert stock_stocktake(counts=[(record, 4)]) == []
    assert record.movements.count() == 1


def test_movements_are_never_updated_or_deleted(record):
    movement = record.movements.get()

    movement.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        movement.save()
    with pytest.raises(AppendOnlyError):
        movement.delete()
    with pytest.raises(AppendOnlyError):
        StockMovement.objects.filter(pk=movement.pk).update(quantity=100)
    with pytest.raises(AppendOnlyError):
        StockMovement.objects.all().delete()

    movement.refresh_from_db()
    assert (movement.quantity, movement.note) == (4, "")

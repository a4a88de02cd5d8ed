"""No code outside the stock services writes stock levels: the database refuses it."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from shop.stock import guard
from shop.stock.models import StockMovement
from shop.stock.services import stock_adjust, stock_allocate, stock_consume, stock_release

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db
# Oscar's own factories are refused here too (tests/conftest.py lets them by elsewhere).
OSCAR_FACTORIES_GUARDED = True


def refused(write):
    with pytest.raises(IntegrityError, match="stock services"), transaction.atomic():
        write()


def levels(record):
    record.refresh_from_db()
    return record.num_in_stock, record.num_allocated


@pytest.mark.parametrize(
    "change", [{"num_in_stock": 10}, {"num_allocated": 1}, {"num_in_stock": None}]
)
def test_an_update_of_a_level_is_refused(record, change):
    refused(lambda: StockRecord.objects.filter(pk=record.pk).update(**change))

    assert levels(record) == (4, None)


def test_raw_sql_is_refused(record):
    def write():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {StockRecord._meta.db_table} SET num_in_stock = 99 WHERE id = %s",
                [record.pk],
            )

    refused(write)
    assert levels(record) == (4, None)


def test_oscars_own_allocation_is_refused(record):
    refused(lambda: record.allocate(1))
    refused(lambda: create_product(num_in_stock=3))  # a new record that starts with stock

    assert levels(record) == (4, None)


def test_other_columns_and_unchanged_levels_may_be_written(record):
    record.price = "19.50"
    record.low_stock_threshold = 2
    record.save()  # the whole row, its levels as they are
    StockRecord.objects.create(
        product=create_product(), partner=record.partner, partner_sku="EMPTY", num_in_stock=0
    )

    record.refresh_from_db()
    assert (str(record.price), record.low_stock_threshold, record.num_in_stock) == ("19.50", 2, 4)


def test_the_services_write_and_leave_the_door_shut_behind_them(record):
    with transaction.atomic():
        stock_adjust(stockrecord=record, quantity=2, reason=StockMovement.Reason.RECEIVED)
        stock_allocate(stockrecord=record, quantity=3)
        stock_release(stockrecord=record, quantity=1)
        stock_consume(stockrecord=record, quantity=2)
        # Same transaction, right after the services: the flag is off again.
        refused(lambda: StockRecord.objects.filter(pk=record.pk).update(num_allocated=5))

    assert levels(record) == (4, 0)


def test_the_guard_is_on_after_every_migrate():
    assert guard.installed()

    call_command("migrate", "stock", verbosity=0)

    assert guard.installed()

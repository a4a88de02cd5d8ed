"""One low-stock rule: the same answer in Python and in SQL, used by every reader."""

import pytest
from oscar.core.loading import get_model

from shop.stock.guard import stock_levels_writable
from tests.factories import create_cream

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

# (in stock, allocated, threshold) around every edge of the rule.
CASES = [
    (10, 0, 5),
    (6, 0, 5),
    (5, 0, 5),
    (7, 2, 5),
    (8, 2, 5),
    (1, 0, 5),
    (0, 0, 5),
    (3, 3, 5),
    (0, 0, 0),
    (1, 0, 0),
    (0, 0, None),
    (9, 0, None),
]


def test_python_and_sql_agree_at_or_below_the_threshold(media):
    record = create_cream((("Rose", 0),), images=False).children.get().stockrecords.get()
    for in_stock, allocated, threshold in CASES:
        with stock_levels_writable():  # each edge of the rule, set directly
            StockRecord.objects.filter(pk=record.pk).update(
                num_in_stock=in_stock, num_allocated=allocated, low_stock_threshold=threshold
            )
        record.refresh_from_db()
        expected = threshold is not None and in_stock - allocated <= threshold

        assert record.is_low_stock is expected, (in_stock, allocated, threshold)
        assert StockRecord.objects.low_stock().filter(pk=record.pk).exists() is expected

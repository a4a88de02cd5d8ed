"""The Django admin shows stock levels and cannot change them."""

import pytest
from django.db.models import Sum
from django.urls import reverse
from oscar.core.loading import get_model

from shop.stock.services import stock_allocate
from tests.factories import create_cream

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def test_the_admin_stock_record_form_leaves_the_levels_alone(admin_client):
    clary = create_cream((("Clary Sage", 4),), images=False).children.get()
    record = clary.stockrecords.get()
    url = reverse("admin:partner_stockrecord_change", args=[record.pk])
    page = admin_client.get(url)
    stock_allocate(stockrecord=record, quantity=1)  # an order placed while staff edit

    response = admin_client.post(
        url,
        {
            "product": clary.pk,
            "partner": record.partner_id,
            "partner_sku": record.partner_sku,
            "price_currency": "GBP",
            "price": "19.00",
            "num_in_stock": "999",
            "num_allocated": "0",
            "low_stock_threshold": "3",
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert 'name="num_in_stock"' not in page.content.decode()
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (4, 1)
    assert (str(record.price), record.low_stock_threshold) == ("19.00", 3)
    ledger = record.movements.aggregate(total=Sum("quantity"))["total"]
    assert ledger == record.num_in_stock

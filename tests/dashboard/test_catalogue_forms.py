"""Oscar's product form cannot change stock in hand behind the ledger's back."""

import pytest
from oscar.core.loading import get_class

from tests.factories import create_cream

StockRecordFormSet = get_class("dashboard.catalogue.formsets", "StockRecordFormSet")

pytestmark = pytest.mark.django_db


def test_the_product_forms_stock_field_is_read_only(media, admin_user):
    clary = create_cream((("Clary Sage", 4),), images=False).children.get()
    record = clary.stockrecords.get()
    data = {
        "partner": record.partner_id,
        "partner_sku": record.partner_sku,
        "price_currency": "GBP",
        "price": "19.00",
        "num_in_stock": "999",
        "low_stock_threshold": "3",
    }

    form = StockRecordFormSet.form(clary.get_product_class(), admin_user, data, instance=record)

    assert form.fields["num_in_stock"].disabled
    assert "Stock page" in form.fields["num_in_stock"].help_text
    assert form.is_valid(), form.errors
    form.save()
    record.refresh_from_db()
    assert (record.num_in_stock, record.low_stock_threshold, str(record.price)) == (4, 3, "19.00")
    assert record.movements.count() == 1

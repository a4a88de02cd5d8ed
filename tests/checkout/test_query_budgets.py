"""SQL queries a basket adds to pages, and what checking out costs (README: Queries).

Stock Oscar 4.2.1: a basket adds 12-17 queries to every page; a guest checkout
costs 197 queries over 11 requests, 42 of them for "place order". Counted here
with on-commit callbacks run (e-mails, analytics), as in production, and with
the transaction statements Django issues.
"""

import pytest
from django.contrib.sites.models import Site
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.checkout.helpers import (
    add_to_basket,
    choose_delivery,
    give_address,
    place_order,
    preview,
    ready_to_place,
    start_guest_checkout,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["home", "catalogue", "parent", "child", "basket"])
def test_a_basket_adds_at_most_five_queries_to_a_page(client, cream, page, count_queries):
    child = cream.children.order_by("id").first()
    url = {
        "home": "/",
        "catalogue": "/catalogue/",
        "parent": cream.get_absolute_url(),
        "child": child.get_absolute_url(),
        "basket": "/basket/",
    }[page]
    count_queries(client, url)
    empty = count_queries(client, url)
    for variant in cream.children.all():
        add_to_basket(client, variant, 1)

    with_basket = count_queries(client, url)

    assert with_basket - empty <= 5, (empty, with_basket)


def test_basket_lines_add_no_queries(client, cream, count_queries):
    lavender, rose, clary, *_ = cream.children.order_by("id")
    add_to_basket(client, lavender, 1)
    one = count_queries(client, "/basket/")
    add_to_basket(client, rose, 1)
    add_to_basket(client, clary, 1)

    assert count_queries(client, "/basket/") == one


def test_basket_page_with_lines_costs_at_most_10_queries(
    client, cream, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    for variant in cream.children.all():
        add_to_basket(client, variant, 1)

    with django_assert_max_num_queries(10), django_capture_on_commit_callbacks(execute=True):
        response = client.get("/basket/")

    assert len(response.context["formset"].forms) == 4  # all but Jasmine, sold out


def test_a_whole_guest_checkout_costs_at_most_120_queries(
    client, cream, reference_data, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """Every request a shopper's browser makes, from "add to basket" to the thank-you page."""
    lavender = cream.children.order_by("id").first()

    with django_assert_max_num_queries(120), django_capture_on_commit_callbacks(execute=True):
        assert add_to_basket(client, lavender, 1).status_code == 302
        assert client.get("/basket/").status_code == 200
        assert client.get("/checkout/").status_code == 200
        assert start_guest_checkout(client)["Location"] == "/checkout/shipping-address/"
        assert client.get("/checkout/shipping-address/").status_code == 200
        assert give_address(client)["Location"] == "/checkout/shipping-method/"
        assert client.get("/checkout/shipping-method/").status_code == 200
        assert choose_delivery(client)["Location"] == "/checkout/preview/"
        fingerprint = preview(client).context["fingerprint"]
        assert place_order(client, fingerprint)["Location"] == "/checkout/thank-you/"
        assert client.get("/checkout/thank-you/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_place_order_costs_at_most_40_queries(client, cream, reference_data):
    # A real transaction per request, as in production (not a test savepoint).
    ready_to_place(client, cream.children.order_by("id").first(), 2)
    fingerprint = preview(client).context["fingerprint"]
    # Oscar records the order's Site, which Django caches per process: always
    # warm in production (Oscar's checkout layout used to warm it here, with a
    # flatpages lookup on every checkout page that the storefront layout drops).
    Site.objects.get_current()

    with CaptureQueriesContext(connection) as captured:
        response = place_order(client, fingerprint)

    assert response["Location"] == "/checkout/thank-you/"
    # Includes the confirmation e-mail queued in the order's transaction (its
    # outbox row in a savepoint, its delivery task); README: Queries.
    assert len(captured) <= 40, "\n".join(query["sql"] for query in captured)

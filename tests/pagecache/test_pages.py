"""Product pages served from memory to anonymous shoppers, and never stale.

The freshness tests commit each change for real (transactional database), so
on PostgreSQL the revision triggers run at commit as they do in production.
"""

import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from shop.pagecache import revision
from shop.stock.models import StockMovement
from shop.stock.services import stock_adjust
from tests.checkout.helpers import guest_checkout
from tests.factories import add_formula, create_standalone, ingredient

Product = get_model("catalogue", "Product")
ProductRecord = get_model("analytics", "ProductRecord")
ProductIngredient = get_model("catalogue", "ProductIngredient")
Ingredient = get_model("catalogue", "Ingredient")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def cream(cream):
    return add_formula(cream)


def lavender(cream):
    return cream.children.get(title__endswith="Lavender")


def clary(cream):
    return cream.children.get(title__endswith="Clary Sage")


def html(client, product):
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def stored_pages():
    return len(caches["pages"]._cache)


def without_tokens(page):
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', page)


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["parent", "child"])
def test_an_anonymous_shopper_gets_the_stored_page_in_two_queries(client, cream, which):
    product = cream if which == "parent" else clary(cream)
    rendered = html(client, product)
    assert stored_pages() == 1

    with CaptureQueriesContext(connection) as queries:
        served = html(Client(), product)

    # The revision, and the view counter (after the response's own work).
    assert len(queries) <= 2, [q["sql"] for q in queries]
    assert without_tokens(served) == without_tokens(rendered)
    assert "Only 4 left" in served
    assert "£18.00" in served


@pytest.mark.django_db
def test_views_served_from_memory_are_still_counted(
    client, cream, django_capture_on_commit_callbacks
):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            html(Client(), cream)
    assert ProductRecord.objects.get(product=cream).num_views == 3


@pytest.mark.django_db
def test_each_shopper_gets_their_own_csrf_token_and_it_works(client, cream):
    html(Client(), cream)  # stored

    shopper = Client(enforce_csrf_checks=True)
    page = html(shopper, cream)
    tokens = set(TOKEN.findall(page))
    assert len(tokens) == 1
    response = shopper.post(
        reverse("basket:add", kwargs={"pk": lavender(cream).pk}),
        {"quantity": 1, "csrfmiddlewaretoken": tokens.pop()},
    )
    assert response.status_code == 302
    assert shopper.get(reverse("basket:summary")).context["basket"].num_items == 1


@pytest.mark.django_db
def test_staff_and_signed_in_customers_get_the_page_rendered(client, cream, django_user_model):
    html(Client(), cream)
    staff = django_user_model.objects.create_user("s", "s@example.com", "pw", is_staff=True)
    client.force_login(staff)
    assert "Edit this product" in html(client, cream)
    assert stored_pages() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?fragrance=999999", "?utm_source=newsletter"])
def test_a_query_string_is_answered_by_the_view(client, cream, query):
    response = client.get(cream.get_absolute_url() + query)
    assert response.status_code == 200
    assert stored_pages() == 0


@pytest.mark.django_db
def test_not_found_and_redirects_are_not_stored(client, cream):
    assert client.get("/catalogue/no-such-thing_999999/").status_code == 404
    wrong_slug = f"/catalogue/wrong-slug_{cream.pk}/"
    assert client.get(wrong_slug).status_code == 301
    assert stored_pages() == 0


@pytest.mark.django_db
def test_every_table_a_page_is_built_from_raises_the_revision():
    assert set(revision.watched_tables()) <= revision.triggered_tables()
    assert "partner_stockrecord" in revision.watched_tables()
    assert "catalogue_productingredient" in revision.watched_tables()


# --- never stale: each kind of change shows on the very next request ---------


def change_price(cream):
    record = lavender(cream).stockrecords.get()
    record.price = Decimal("21.50")
    record.save()
    return "£21.50"


def change_stock(cream):
    stock_adjust(
        stockrecord=clary(cream).stockrecords.get(),
        quantity=-2,
        reason=StockMovement.Reason.DAMAGED,
    )
    return "Only 2 left"


def change_inci_line(cream):
    line = ProductIngredient.objects.filter(product=lavender(cream)).first()
    line.ingredient = ingredient("Helianthus Annuus Seed Oil")
    line.save()
    return "Helianthus Annuus Seed Oil"


def change_ingredient_text(cream):
    Ingredient.objects.filter(inci_name="Glycerin").update(
        function="Draws water into the skin's outer layer."
    )
    return "Draws water into the skin&#x27;s outer layer."


def change_description(cream):
    Product.objects.filter(pk=cream.pk).update(description="<p>Freshly rewritten.</p>")
    return "Freshly rewritten."


CHANGES = [change_price, change_stock, change_inci_line, change_ingredient_text, change_description]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_change_shows_on_the_next_request(cream, change):
    shopper = Client()
    html(shopper, cream)
    html(shopper, cream)  # served from memory
    expected = change(cream)
    assert expected in html(shopper, cream)
    assert expected in html(Client(), cream)


@pytest.mark.django_db(transaction=True)
def test_a_stock_change_made_by_an_order_shows_on_the_next_request(cream, reference_data):
    assert "Only 4 left" in html(Client(), clary(cream))
    html(Client(), clary(cream))  # served from memory
    response = guest_checkout(Client(), clary(cream), quantity=4)
    assert response.status_code == 302
    page = html(Client(), clary(cream))
    assert "Sold out" in page
    assert "Only 4 left" not in page


@pytest.mark.django_db(transaction=True)
def test_a_product_taken_off_sale_is_gone_on_the_next_request(cream):
    html(Client(), cream)
    Product.objects.filter(pk=cream.pk).update(is_public=False)
    assert Client().get(cream.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_stored_page_shows_each_shopper_their_own_basket(client, cream):
    html(Client(), cream)  # stored, by a shopper with an empty basket
    shopper = Client()
    shopper.post(reverse("basket:add", kwargs={"pk": lavender(cream).pk}), {"quantity": 2})
    with CaptureQueriesContext(connection) as queries:
        page = html(shopper, cream)
    assert "(2 items)" in page
    assert "(2 items)" not in html(Client(), cream)
    assert not any("catalogue_product" in q["sql"] for q in queries)


# --- the other pages every shopper sees alike ---------------------------------

SHOP_PAGES = {
    "home": lambda: reverse("home"),
    "catalogue": lambda: reverse("catalogue:index"),
    "ingredients": lambda: reverse("ingredients:ingredient-list"),
    "ingredient": lambda: reverse("ingredients:ingredient-detail", kwargs={"slug": "glycerin"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", SHOP_PAGES)
def test_shop_pages_are_served_from_memory_in_one_query(cream, name):
    url = SHOP_PAGES[name]()
    rendered = Client().get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        served = Client().get(url).content.decode()
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert without_tokens(served) == without_tokens(rendered)


@pytest.mark.django_db(transaction=True)
def test_the_home_page_shows_a_fragrance_sold_out_on_the_next_request(cream):
    assert "Only 4 left" in Client().get(reverse("home")).content.decode()
    change_stock(cream)
    assert "Only 2 left" in Client().get(reverse("home")).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["ingredients", "ingredient"])
def test_ingredient_pages_show_a_new_explanation_on_the_next_request(cream, name):
    url = SHOP_PAGES[name]()
    Client().get(url)
    expected = change_ingredient_text(cream)
    assert expected in Client().get(url).content.decode()


@pytest.mark.django_db
def test_a_stored_page_shows_the_shoppers_own_messages_once(cream):
    html(Client(), cream)  # stored, with no messages
    shopper = Client()
    response = shopper.post(
        reverse("basket:add", kwargs={"pk": lavender(cream).pk}),
        {"quantity": 1},
        HTTP_REFERER=cream.get_absolute_url(),
    )
    assert response.url == cream.get_absolute_url()

    with CaptureQueriesContext(connection) as queries:
        page = html(shopper, cream)
    assert "added to your basket" in page
    assert "(1 item)" in page
    assert not any("catalogue_productingredient" in q["sql"] for q in queries)  # from memory
    assert "added to your basket" not in html(shopper, cream)


@pytest.mark.django_db
def test_a_stored_page_never_shows_one_shoppers_state_to_another(cream):
    first = Client()
    first.post(reverse("basket:add", kwargs={"pk": lavender(cream).pk}), {"quantity": 1})
    html(first, cream)  # stored while this shopper has a basket
    page = html(Client(), cream)
    assert "1 item" not in page
    assert "Sign in or register" in page


@pytest.mark.django_db
def test_a_standalone_product_keeps_oscars_page_and_is_not_stored(client, media):
    product = create_standalone("Gift card", 5)
    assert Client().get(product.get_absolute_url()).status_code == 200
    assert stored_pages() == 0


@pytest.mark.django_db
def test_the_revision_never_goes_back_when_its_row_is_lost(cream):
    from shop.pagecache.models import Revision

    before = revision.current()
    html(Client(), cream)
    Revision.objects.all().delete()  # as a flush does
    assert revision.current() is None
    assert html(Client(), cream)  # rendered, not stored or served from memory
    assert stored_pages() == 1  # only the page stored before

    change_price(cream)
    assert revision.current() > before
    assert "£21.50" in html(Client(), cream)


@pytest.mark.django_db
def test_a_stored_listing_never_keeps_one_shoppers_message(cream):
    # The listing uses Oscar's two-column layout, which includes the messages itself.
    shopper = Client()
    response = shopper.get(reverse("catalogue:index") + "?page=99")
    assert response.status_code == 302
    assert "page number was invalid" in shopper.get(response.url).content.decode()
    assert stored_pages() == 1
    assert (
        "page number was invalid" not in Client().get(reverse("catalogue:index")).content.decode()
    )

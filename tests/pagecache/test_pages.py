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
from tests.blog.conftest import create_article
from tests.checkout.helpers import guest_checkout
from tests.factories import add_formula, create_cream, ingredient

Product = get_model("catalogue", "Product")
ProductRecord = get_model("analytics", "ProductRecord")
ProductIngredient = get_model("catalogue", "ProductIngredient")
Ingredient = get_model("catalogue", "Ingredient")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def cream(media):
    return add_formula(create_cream((("Lavender", 40), ("Clary Sage", 3))))


def lavender(cream):
    return cream.children.get(title__endswith="Lavender")


def clary(cream):
    return cream.children.get(title__endswith="Clary Sage")


def html(client, product):
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def stored_pages():
    """Whole pages stored (not their fragments)."""
    return sum(1 for key in caches["pages"]._cache if ":fragment:" not in key)


def served(client, url):
    """The response, and how the page cache answered it."""
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), response["X-Page-Cache"]


WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|BEGIN|SAVEPOINT|COMMIT)", re.IGNORECASE)


def without_tokens(page):
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', page)


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["parent", "child"])
def test_a_stored_product_page_costs_one_query_and_writes_nothing(cream, which):
    product = cream if which == "parent" else clary(cream)
    rendered, how = served(Client(), product.get_absolute_url())
    assert how == "miss"
    assert stored_pages() == 1

    with CaptureQueriesContext(connection) as queries:
        page, how = served(Client(), product.get_absolute_url())

    assert how == "hit"
    assert len(queries) <= 1, [q["sql"] for q in queries]
    assert not [q["sql"] for q in queries if WRITE.match(q["sql"])]
    assert without_tokens(page) == without_tokens(rendered)
    assert "Only 3 left" in page
    assert "£18.00" in page


@pytest.mark.django_db
def test_a_stored_page_hit_sets_no_session_and_varies_on_cookies(cream):
    shopper = Client()
    served(shopper, cream.get_absolute_url())
    response = shopper.get(cream.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert "sessionid" not in shopper.cookies
    # Its holes are the shopper's own: no shared cache may keep it for another.
    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_views_served_from_memory_are_counted_in_batches(cream):
    from shop.analytics import views

    product = lavender(cream)
    served(Client(), product.get_absolute_url())  # rendered and stored
    for _ in range(999):
        assert served(Client(), product.get_absolute_url())[1] == "hit"
    assert not ProductRecord.objects.exists()  # nothing written by the requests

    assert views.flush() == 1000
    assert ProductRecord.objects.get(product=product).num_views == 1000
    assert views.flush() == 0


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
    return "Only 1 left"


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
    assert "Only 3 left" in html(Client(), clary(cream))
    assert served(Client(), clary(cream).get_absolute_url())[1] == "hit"
    response = guest_checkout(Client(), clary(cream), quantity=3)
    assert response.status_code == 302
    page = html(Client(), clary(cream))
    assert "Sold out" in page
    assert "Only 3 left" not in page


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
    "guide": lambda: reverse("blog:index"),
    "article": lambda: create_article("Tension").get_absolute_url(),
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
    assert "Only 3 left" in Client().get(reverse("home")).content.decode()
    change_stock(cream)
    assert "Only 1 left" in Client().get(reverse("home")).content.decode()


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
    from oscar.test.factories import create_product

    product = create_product(title="Gift card", price=Decimal("10.00"), num_in_stock=5)
    assert Client().get(product.get_absolute_url()).status_code == 200
    assert stored_pages() == 0


@pytest.mark.django_db
def test_revisions_never_go_back_when_their_rows_are_lost(cream):
    from shop.pagecache.models import Revision

    html(Client(), cream)
    before = revision.numbers()
    assert revision.family_scope(cream) in before
    Revision.objects.all().delete()  # as a flush does
    assert served(Client(), cream.get_absolute_url())[1] == "miss"

    change_price(cream)
    assert revision.numbers()[revision.stock_scope(lavender(cream).pk)] > max(before.values())
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


# --- narrow invalidation: an order re-renders only what it changed ------------


@pytest.mark.django_db(transaction=True)
def test_an_order_for_lavender_leaves_other_stored_pages_in_place(reference_data, media):
    cream = add_formula(create_cream((("Lavender", 40), ("Rose", 25))))
    lavender_page = lavender(cream).get_absolute_url()
    rose_page = cream.children.get(title__endswith="Rose").get_absolute_url()
    others = [SHOP_PAGES[name]() for name in ("ingredients", "ingredient", "guide", "article")]
    for url in [lavender_page, rose_page, *others]:
        assert served(Client(), url)[1] == "miss"
    assert 'max="40"' in served(Client(), rose_page)[0]  # Lavender's form, on Rose's page

    assert guest_checkout(Client(), lavender(cream), quantity=2).status_code == 302

    for url in others:
        with CaptureQueriesContext(connection) as queries:
            assert served(Client(), url)[1] == "hit"
        assert len(queries) == 1
    page, how = served(Client(), rose_page)
    assert how == "hit"  # the page in place: only Lavender's stock was rendered again
    assert 'max="38"' in page
    assert 'max="38"' in served(Client(), lavender_page)[0]

    caches["pages"].clear()
    assert without_tokens(served(Client(), rose_page)[0]) == without_tokens(page)


@pytest.mark.django_db(transaction=True)
def test_a_fragrance_selling_out_renders_the_parent_page_again(reference_data, media):
    # The parent page opens on the first fragrance that can be bought.
    cream = create_cream((("Lavender", 1), ("Rose", 25)))
    opens_on = re.compile(rf'data-variant="{lavender(cream).pk}" aria[^>]*"\s*>')
    assert opens_on.search(html(Client(), cream))
    assert guest_checkout(Client(), lavender(cream), quantity=1).status_code == 302
    page, how = served(Client(), cream.get_absolute_url())
    assert how == "miss"
    rose = cream.children.get(title__endswith="Rose")
    assert re.search(rf'data-variant="{lavender(cream).pk}" aria[^>]* hidden', page)
    assert not re.search(rf'data-variant="{rose.pk}" aria[^>]* hidden', page)


# --- fences --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_table_a_stored_page_reads_without_a_trigger_fails_the_check():
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    call_command("check")  # all fenced
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER pagecache_bump ON catalogue_ingredient")
        else:
            cursor.execute('DROP TRIGGER "pagecache_bump_catalogue_ingredient_update"')
    with pytest.raises(SystemCheckError, match="catalogue_ingredient, which has no page cache"):
        call_command("check")


@pytest.mark.django_db
def test_every_stored_view_names_its_models_and_each_has_a_trigger():
    from shop.pagecache.checks import stored_views
    from shop.pagecache.pages import model_tables

    views = stored_views()
    assert {view.__name__ for view in views} >= {
        "HomeView",
        "ProductDetailView",
        "CatalogueView",
        "IngredientListView",
        "ArticleDetailView",
    }
    for view in views:
        assert view.page_models
        assert model_tables(view.models()) <= revision.triggered_tables()


@pytest.mark.django_db
def test_a_page_reading_a_table_it_does_not_name_is_not_stored(cream, monkeypatch, caplog):
    from catalogue.views import ProductDetailView

    monkeypatch.setattr(
        ProductDetailView,
        "page_models",
        tuple(m for m in ProductDetailView.page_models if m != "catalogue.Ingredient"),
    )
    page, how = served(Client(), cream.get_absolute_url())
    assert "Glycerin" in page or "Aqua" in page
    assert stored_pages() == 0
    assert "catalogue_ingredient, which its page_models do not name" in caplog.text


@pytest.mark.django_db
def test_a_page_older_than_the_expiry_is_rendered_again(cream, settings):
    settings.SHOP_PAGE_CACHE_SECONDS = 60
    served(Client(), cream.get_absolute_url())
    assert served(Client(), cream.get_absolute_url())[1] == "hit"
    settings.SHOP_PAGE_CACHE_SECONDS = 0
    assert served(Client(), cream.get_absolute_url())[1] == "miss"


@pytest.mark.django_db
def test_with_the_switch_off_nothing_is_stored(cream, settings):
    settings.SHOP_PAGE_CACHE = False
    for _ in range(2):
        page, how = served(Client(), cream.get_absolute_url())
        assert how == "off"
        assert "Only 3 left" in page
    assert len(caches["pages"]._cache) == 0


@pytest.mark.django_db
def test_signed_in_shoppers_bypass_the_cache(client, cream, django_user_model):
    client.force_login(django_user_model.objects.create_user("c", "c@example.com", "pw"))
    assert served(client, cream.get_absolute_url())[1] == "bypass"


@pytest.mark.django_db(transaction=True)
def test_the_stored_page_is_served_when_the_revision_cannot_be_read(media):
    cream = create_cream((("Lavender", 40), ("Clary Sage", 3)))
    url = clary(cream).get_absolute_url()
    stored, _ = served(Client(), url)
    # The revisions unreadable, as when the database is down or locked.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE pagecache_revision RENAME TO pagecache_revision_away")
    try:
        page, how = served(Client(), url)
        assert how == "stale"
        assert without_tokens(page) == without_tokens(stored)
        with pytest.raises(Exception, match="pagecache_revision"):
            Client().get(cream.get_absolute_url())  # nothing stored to serve: the error stands
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE pagecache_revision_away RENAME TO pagecache_revision")

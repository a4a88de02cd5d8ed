import pytest

pytestmark = pytest.mark.django_db


def test_catalogue_listing_shows_the_cream(client, cream):
    # Stock Oscar's listing is empty with the simple search backend (#4366).
    response = client.get("/catalogue/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "No products found" not in html
    assert cream.get_absolute_url() in html
    assert "<strong>1</strong> result." in html
    for child in cream.children.all():  # variants are reached through the parent
        assert child.get_absolute_url() not in html


def test_category_page_lists_its_products(client, cream):
    from oscar.apps.catalogue.categories import create_from_breadcrumbs
    from oscar.apps.catalogue.models import ProductCategory

    category = create_from_breadcrumbs("Body creams")
    ProductCategory.objects.create(product=cream, category=category)
    empty = create_from_breadcrumbs("Gift sets")

    assert cream.get_absolute_url() in client.get(category.get_absolute_url()).content.decode()
    assert cream.get_absolute_url() not in client.get(empty.get_absolute_url()).content.decode()


def test_listing_hides_private_products(client, cream):
    cream.is_public = False
    cream.save()

    assert cream.get_absolute_url() not in client.get("/catalogue/").content.decode()


@pytest.mark.parametrize("page", ["99", "abc"])
def test_bad_page_number_redirects_with_a_message(client, cream, page):
    response = client.get("/catalogue/", {"page": page}, follow=True)

    assert response.status_code == 200
    assert "The given page number was invalid." in response.content.decode()


def test_home_page_shows_the_cream_and_each_fragrance(client, cream):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert cream.get_absolute_url() in html
    for child in cream.children.all():
        assert child.get_absolute_url() in html
    assert "Sold out" in html
    assert "£18.00" in html


def test_home_page_without_products(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "no products yet" in response.content.decode()


def test_listing_and_home_query_budgets(client, cream, django_assert_max_num_queries):
    client.get("/")
    client.get("/catalogue/")
    with django_assert_max_num_queries(12):
        client.get("/")
    with django_assert_max_num_queries(12):
        client.get("/catalogue/")

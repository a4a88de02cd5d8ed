"""An offer's page and a range's page list their products from one grid partial
(templates/oscar/offer/partials/product_grid.html)."""

import pytest
from oscar.test import factories

from tests.factories import create_staff_html_pages

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("place", ["offer", "range"])
def test_the_page_lists_its_products(client, place):
    url = create_staff_html_pages("<p>Gifts</p>")[place]

    html = client.get(url).content.decode()

    assert 'class="row list-unstyled ml-0 pl-0"' in html
    assert "Gift tin" in html
    assert "No products found." not in html


def test_a_range_without_products_says_so(client):
    empty = factories.RangeFactory(name="Empty", slug="empty", is_public=True)

    html = client.get(empty.get_absolute_url()).content.decode()

    assert "No products found." in html
    assert "list-unstyled ml-0 pl-0" not in html

import xml.etree.ElementTree as ET

import pytest
from django.contrib.sites.models import Site
from oscar.core.loading import get_model

from shop.seo.sitemaps import SITEMAPS
from tests.blog.conftest import create_article
from tests.factories import create_cream

Ingredient = get_model("catalogue", "Ingredient")

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FIVE = (("Lavender", 40), ("Rose", 25), ("Clary Sage", 4), ("Jasmine", 0), ("Cypress & Fir", 60))


def test_sitemap_lists_home_guide_product_its_five_fragrances_and_every_article(client, media):
    cream = create_cream(FIVE)
    articles = [create_article(f"Article {i}", position=i) for i in range(3)]
    draft = create_article("Draft", published=False)
    aqua = Ingredient.objects.create(
        inci_name="Aqua", slug="aqua", common_name="Water", function="Solvent"
    )
    hidden = create_cream((("Hidden", 1),))
    hidden.is_public = False
    hidden.save()

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    locs = [el.text for el in ET.fromstring(response.content).iter(f"{NS}loc")]
    base = f"http://{Site.objects.get_current().domain}"
    expected = (
        ["/", "/blog/", "/ingredients/", cream.get_absolute_url()]
        + [child.get_absolute_url() for child in cream.children.order_by("id")]
        + [a.get_absolute_url() for a in articles]
        + [aqua.get_absolute_url()]
    )
    assert locs == [base + path for path in expected]
    assert base + draft.get_absolute_url() not in locs
    for product in [hidden, hidden.children.get()]:
        assert base + product.get_absolute_url() not in locs


def test_a_new_kind_of_page_is_one_more_sitemap_section():
    assert list(SITEMAPS) == ["pages", "products", "articles", "ingredients"]

"""JSON-LD: parsed as JSON, and each fragrance's offer compared with what the page shows."""

import json
import re
from html import unescape

import pytest

from shop.blog.services import article_draw_share_image
from shop.stock.services import stock_adjust
from tests.blog.conftest import create_article
from tests.factories import FIVE_FRAGRANCES

pytestmark = pytest.mark.django_db

FIVE = FIVE_FRAGRANCES
# What the page says, in schema.org's words.
SHOWN_AS = {
    "In stock": "https://schema.org/InStock",
    "Only 4 left": "https://schema.org/LimitedAvailability",
    "Sold out": "https://schema.org/OutOfStock",
}


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def meta(html, prop):
    found = re.findall(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    assert len(found) == 1, (prop, found)
    return unescape(found[0])


def shown_variants(html):
    """Each fragrance as the picker and its panel show it: name, stock message, price."""
    shown = {}
    for pk, panel in re.findall(
        r'<section class="variant-panel" data-variant="(\d+)"(.*?)</section>', html, re.S
    ):
        name = re.search(r'<h2 class="h4"[^>]*>([^<]+)</h2>', panel).group(1)
        stock = re.search(r"data-stock>([^<]+)</p>", panel).group(1)
        price = re.search(r"data-price>£([\d.]+)", panel)
        shown[pk] = (unescape(name), stock, price.group(1) if price else None)
    return shown


@pytest.fixture
def cream(cream):
    cream.upc = "MGC-100"
    cream.save()
    return cream


@pytest.mark.parametrize("page", ["parent", "child"])
def test_product_pages_carry_a_product_group_whose_offers_match_the_page(client, cream, page):
    children = list(cream.children.order_by("id"))
    url = cream.get_absolute_url() if page == "parent" else children[2].get_absolute_url()

    html = client.get(url).content.decode()

    [group] = json_ld(html)
    assert group["@context"] == "https://schema.org"
    assert group["@type"] == "ProductGroup"
    assert group["productGroupID"] == "MGC-100"
    assert group["url"] == f"http://testserver{cream.get_absolute_url()}"
    assert group["variesBy"] == "Fragrance"
    shown = shown_variants(html)
    assert len(group["hasVariant"]) == len(shown) == 5
    for child, variant in zip(children, group["hasVariant"], strict=True):
        name, stock, price = shown[str(child.pk)]
        assert variant["@type"] == "Product"
        assert variant["url"] == f"http://testserver{child.get_absolute_url()}"
        assert variant["sku"] == child.stockrecords.get().partner_sku
        assert variant["additionalProperty"] == {
            "@type": "PropertyValue",
            "name": "Fragrance",
            "value": name,
        }
        assert name in variant["name"]
        offer = variant["offers"]
        assert offer["@type"] == "Offer"
        assert offer["url"] == variant["url"]
        assert offer["price"] == price == "18.00"
        assert offer["priceCurrency"] == "GBP"
        assert offer["availability"] == SHOWN_AS[stock], name
    availability = {
        v["additionalProperty"]["value"]: v["offers"]["availability"] for v in group["hasVariant"]
    }
    assert availability["Jasmine"] == "https://schema.org/OutOfStock"


def test_a_sold_out_change_shows_in_the_offer_at_once(client, cream):
    rose = cream.children.get(title__endswith="Rose")
    stock_adjust(stockrecord=rose.stockrecords.get(), quantity=-25, reason="damaged")

    html = client.get(cream.get_absolute_url()).content.decode()

    [group] = json_ld(html)
    offer = next(
        v["offers"] for v in group["hasVariant"] if v["url"].endswith(rose.get_absolute_url())
    )
    assert offer["availability"] == "https://schema.org/OutOfStock"
    assert shown_variants(html)[str(rose.pk)][1] == "Sold out"


def test_json_ld_cannot_be_broken_out_of_by_product_text(client, cream):
    cream.title = 'Cream </script><script>alert("x")</script> & more'
    cream.save()

    html = client.get(cream.get_absolute_url()).content.decode()

    [group] = json_ld(html)
    assert group["name"] == cream.title
    assert '<script>alert("x")' not in html


def test_product_pages_have_canonical_description_and_open_graph_tags(client, cream):
    rose = cream.children.get(title__endswith="Rose")

    html = client.get(rose.get_absolute_url()).content.decode()

    canonical = f"http://testserver{rose.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert meta(html, "og:url") == canonical
    assert meta(html, "og:type") == "product"
    assert meta(html, "og:title") == rose.get_title()
    assert meta(html, "og:description") == "Rose description."
    assert meta(html, "og:image").startswith("http://testserver/media/")
    assert re.search(r'<meta name="description" content="\s*Rose description.\s*"', html)


def test_article_pages_have_article_json_ld_and_open_graph_tags(client, media):
    article = create_article("Posture at work", summary="Sit tall.")
    article_draw_share_image(article=article)

    html = client.get(article.get_absolute_url()).content.decode()

    [data] = json_ld(html)
    url = f"http://testserver{article.get_absolute_url()}"
    image = f"http://testserver{article.share_image.url}"
    assert data["@type"] == "Article"
    assert data["headline"] == "Posture at work"
    assert data["description"] == "Sit tall."
    assert data["mainEntityOfPage"] == url
    assert data["image"] == image
    assert data["datePublished"] == article.published_at.isoformat()
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == url
    assert meta(html, "og:title") == "Posture at work"
    assert meta(html, "og:description") == "Sit tall."
    assert meta(html, "og:image") == image
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    assert '<meta name="description" content="Sit tall.">' in html
    assert client.get(image.removeprefix("http://testserver")).status_code == 200

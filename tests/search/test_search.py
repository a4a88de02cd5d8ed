"""/search/?q= finds products and the guide's articles."""

import re

import pytest

from tests.blog.conftest import create_article
from tests.factories import create_cream

pytestmark = pytest.mark.django_db


def found(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()

    def links(marker):
        section = re.search(rf"<ol [^>]*{marker}>(.*?)</ol>", html, re.S)
        return re.findall(r'<a href="([^"]+)"', section.group(1)) if section else []

    return sorted(set(links("data-search-products"))), links("data-search-articles")


@pytest.fixture
def shop(media):
    cream = create_cream((("Lavender", 4), ("Rose", 0)))
    fragrance = create_article(
        "Choosing a Fragrance", position=1, body="Lavender is often chosen for the evening."
    )
    posture = create_article("Posture", position=2, body="The quadratus lumborum at a desk.")
    draft = create_article("Draft", position=3, body="Lavender draft.", published=False)
    return cream, fragrance, posture, draft


def test_search_finds_products_and_articles(client, shop):
    cream, fragrance, _posture, _draft = shop

    products, articles = found(client, "lavender")

    assert products == [cream.get_absolute_url()]  # through its Lavender fragrance
    assert articles == [fragrance.get_absolute_url()]


def test_search_finds_articles_alone_and_every_word_must_match(client, shop):
    _cream, _fragrance, posture, _draft = shop

    assert found(client, "Quadratus") == ([], [posture.get_absolute_url()])
    assert found(client, "quadratus desk") == ([], [posture.get_absolute_url()])
    assert found(client, "quadratus evening") == ([], [])


def test_search_never_finds_drafts(client, shop):
    assert found(client, "draft") == ([], [])


def test_empty_or_odd_queries_get_a_page_not_an_error(client, shop):
    for query in ["", "   ", "%", "'; DROP TABLE blog_article; --", "x" * 5000]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, query
    assert "Type a word to search" in client.get("/search/").content.decode()
    assert "Nothing matches" in client.get("/search/", {"q": "zzzz"}).content.decode()


def test_a_nul_character_in_the_query_is_harmless(client, db):
    response = client.get("/search/", {"q": "lav\x00ender"})

    assert response.status_code == 200

"""/ingredients/: every ingredient, and which fragrances are free of each one."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import FIVE_FRAGRANCES, add_formula, ingredient, variant

pytestmark = pytest.mark.django_db

FIVE = FIVE_FRAGRANCES


@pytest.fixture
def cream(cream):
    return add_formula(cream)


def links(html):
    return [
        (url, unescape(name)) for url, name in re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    ]


def test_the_list_gives_every_ingredient_its_function_and_fragrances(client, cream):
    html = client.get(reverse("ingredients:ingredient-list")).content.decode()

    aqua = re.search(r'<tr data-ingredient="aqua">.*?</tr>', html, re.S).group(0)
    assert "Emollient" in aqua
    assert "every fragrance" in aqua
    geraniol = re.search(r'<tr data-ingredient="geraniol">.*?</tr>', html, re.S).group(0)
    fragrances = re.search(r"<td data-fragrances>(.*?)</td>", geraniol, re.S).group(1)
    assert [name for _, name in links(fragrances)] == ["Lavender", "Rose", "Clary Sage"]


def test_the_list_answers_which_fragrances_are_free_of_an_allergen(client, cream):
    html = client.get(reverse("ingredients:ingredient-list")).content.decode()

    row = re.search(r'<tr data-allergen="linalool">.*?</tr>', html, re.S).group(0)
    free = re.search(r"<td data-free-of>(.*?)</td>", row, re.S).group(1)
    assert links(free) == [
        (variant(cream, "Fir Needle").get_absolute_url(), "Cypress & Fir Needle")
    ]


def test_an_ingredient_page_explains_it_and_links_to_fragrances_free_of_it(client, cream):
    geraniol = ingredient("Geraniol")
    geraniol.reason = "These are not added as isolated chemicals."
    geraniol.save()

    response = client.get(reverse("ingredients:ingredient-detail", args=["geraniol"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "These are not added as isolated chemicals." in html
    assert "A declared fragrance allergen" in html
    free = re.search(r"<ul data-free-of>(.*?)</ul>", html, re.S).group(1)
    assert links(free) == [
        (variant(cream, "Jasmine").get_absolute_url(), "Buy Jasmine"),
        (variant(cream, "Fir Needle").get_absolute_url(), "Buy Cypress & Fir Needle"),
    ]
    present = re.search(r"<ul data-present-in>(.*?)</ul>", html, re.S).group(1)
    assert [name for _, name in links(present)] == ["Lavender", "Rose", "Clary Sage"]


def test_the_magnesium_page_shows_its_public_percentage(client, cream):
    html = client.get(reverse("ingredients:ingredient-detail", args=["magnesium-chloride"]))

    assert "magnesium chloride (25%)" in html.content.decode()


def test_a_private_fragrance_is_not_offered(client, cream):
    rose = variant(cream, "Rose")
    rose.is_public = False
    rose.save()

    html = client.get(reverse("ingredients:ingredient-detail", args=["geraniol"])).content

    assert rose.get_absolute_url() not in html.decode()


def test_an_unknown_ingredient_is_a_404(client, cream):
    response = client.get("/ingredients/unobtainium/")

    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/ingredients/", "/ingredients/geraniol/"])
def test_ingredient_pages_take_a_fixed_number_of_queries(
    client, cream, django_assert_max_num_queries, url
):
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200

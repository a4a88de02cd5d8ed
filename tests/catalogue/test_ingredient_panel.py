"""The ingredient panel, usage and warnings on the product page, per fragrance."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from oscar.core.loading import get_model

from tests.factories import FIVE_FRAGRANCES, add_formula, add_lines, create_cream, variant

pytestmark = pytest.mark.django_db

ProductIngredient = get_model("catalogue", "ProductIngredient")
FIVE = FIVE_FRAGRANCES


@pytest.fixture
def cream(cream):
    return add_formula(cream)


def panel(html, pk):
    """The variant's <section> (it contains no other section)."""
    return re.search(rf'<section[^>]*data-variant="{pk}".*?</section>', html, re.S).group(0)


def text(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def test_each_fragrance_panel_has_its_own_inci_line(client, cream):
    html = client.get(cream.get_absolute_url()).content.decode()

    rose = panel(html, variant(cream, "Rose").pk)
    line = re.search(r"data-inci-line>(.*?)</p>", rose).group(1)
    assert unescape(line) == (
        "Aqua, Magnesium Chloride, Glycerin, Rosa Damascena Flower Oil, Benzyl Alcohol, "
        "Tocopherol, Citral*, Citronellol*, Eugenol*, Farnesol*, Geraniol*, Linalool*"
    )
    assert "* naturally occurring in essential oils" in text(rose)
    lavender = panel(html, variant(cream, "Lavender").pk)
    assert "Lavandula Angustifolia Oil" in lavender
    assert "Rosa Damascena" not in lavender


def test_the_panel_lists_the_fragrances_declared_allergens_on_their_own(client, cream):
    html = client.get(cream.get_absolute_url()).content.decode()

    jasmine = panel(html, variant(cream, "Jasmine").pk)
    allergens = re.search(r"<ul [^>]*data-allergens>(.*?)</ul>", jasmine, re.S).group(1)
    assert re.findall(r"<li><a [^>]*>([^<]+)</a></li>", allergens) == [
        "Benzyl Benzoate",
        "Eugenol",
        "Farnesol",
        "Linalool",
    ]


def test_the_table_explains_every_ingredient_in_label_order(client, cream):
    glycerin = ProductIngredient.objects.get(ingredient__inci_name="Glycerin").ingredient
    glycerin.common_name, glycerin.function, glycerin.reason = (
        "Glycerine",
        "Humectant",
        "Glycerine helps retain moisture.",
    )
    glycerin.save()

    html = client.get(variant(cream, "Rose").get_absolute_url()).content.decode()

    rose = panel(html, variant(cream, "Rose").pk)
    table = re.search(r"<table.*?</table>", rose, re.S).group(0)
    assert '<th scope="col">INCI name</th>' in table
    rows = [
        [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    ]
    assert [row[0] for row in rows] == [
        "Aqua", "Magnesium Chloride", "Glycerin", "Rosa Damascena Flower Oil", "Benzyl Alcohol",
        "Tocopherol", "Citral*", "Citronellol*", "Eugenol*", "Farnesol*", "Geraniol*",
        "Linalool*",
    ]  # fmt: skip
    assert rows[1][1] == "magnesium chloride (25%)"
    assert rows[2] == ["Glycerin", "Glycerine", "Humectant", "Glycerine helps retain moisture."]


def test_usage_warnings_size_pao_and_responsible_person_are_on_every_fragrance(
    client, cream, settings
):
    settings.SHOP_RESPONSIBLE_PERSON = "Cream Ltd, 2 Road, London, care@cream.example"
    for name, _ in FIVE:
        page = text(client.get(variant(cream, name).get_absolute_url()).content.decode())

        assert "Where to apply is the first consideration." in page
        assert "For external use only." in page
        assert "Not to be used for children under 3 years of age (salicylic acid)." in page
        assert "Size 100 ml" in page
        assert "Period after opening 12 months (12M)" in page
        assert "Responsible Person Cream Ltd, 2 Road, London, care@cream.example" in page


def test_the_page_links_to_when_to_seek_medical_attention(client, cream):
    html = client.get(cream.get_absolute_url()).content.decode()

    assert (
        '<a href="/blog/when-ql-muscle-pain-needs-medical-attention/" data-medical-attention>'
        in html
    )


def test_usage_is_the_owners_words_with_markup_only(client, cream):
    guide = (Path(settings.BASE_DIR) / "fixtures" / "ql-guide.md").read_text(encoding="utf-8")
    paragraphs = set(guide.split("\n\n"))
    html = client.get(cream.get_absolute_url()).content.decode()

    usage = re.search(r'<section class="product-usage".*?</section>', html, re.S).group(0)
    shown = [unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", usage, re.S)]
    assert len(shown) == 8
    for paragraph in shown:
        assert paragraph in paragraphs


def test_which_fragrances_are_free_of_an_allergen_with_links_to_buy_them(client, cream):
    html = client.get(cream.get_absolute_url()).content.decode()

    row = re.search(r'<tr data-allergen="geraniol">.*?</tr>', html, re.S).group(0)
    free = re.search(r"<td data-free-of>(.*?)</td>", row, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', unescape(free)) == [
        (variant(cream, "Jasmine").get_absolute_url(), "Jasmine"),
        (variant(cream, "Fir Needle").get_absolute_url(), "Cypress & Fir Needle"),
    ]


def test_a_fragrance_without_lines_shows_no_empty_panel(client, media):
    cream = create_cream((("Rose", 1),))

    html = client.get(cream.get_absolute_url()).content.decode()

    assert "data-inci-line" not in html
    assert "For external use only." in html


@pytest.mark.parametrize("which", ["parent", "child"])
def test_the_panel_costs_the_same_whatever_the_number_of_ingredients(
    client, cream, count_queries, which
):
    product = cream if which == "parent" else variant(cream, "Rose")
    before = count_queries(client, product.get_absolute_url())

    add_lines(cream, ProductIngredient.Section.MINOR, ["Salicylic Acid", "Sorbic Acid"], start=6)
    for each in cream.children.all():
        add_lines(
            each,
            ProductIngredient.Section.ALLERGEN,
            ["Benzyl Salicylate", "Hydroxycitronellal"],
            start=20,
        )

    after = count_queries(client, product.get_absolute_url())
    assert after == before
    assert before <= 12 + 3  # the page was 12 queries before the panel

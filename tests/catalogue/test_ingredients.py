"""Labels derived from a parent's base formula and each fragrance's own lines."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalogue.ingredients import (
    PackFacts,
    derive_label,
    label_problems,
    label_reviews,
    labels_for,
    pack_text,
)
from tests.factories import add_formula, add_lines, add_variant, create_cream, ingredient, variant

pytestmark = pytest.mark.django_db

ProductIngredient = get_model("catalogue", "ProductIngredient")
Section = ProductIngredient.Section

FIVE = (
    ("Lavender", 1),
    ("Rose", 1),
    ("Clary Sage", 1),
    ("Jasmine", 0),
    ("Cypress & Fir Needle", 1),
)


@pytest.fixture
def cream(cream):
    return add_formula(cream)


def test_a_fragrance_inherits_the_base_and_adds_its_oil_and_allergens_in_label_order(cream):
    rose = variant(cream, "Rose")

    label = labels_for([rose])[rose.pk]

    assert label.inci_line == (
        "Aqua, Magnesium Chloride, Glycerin, Rosa Damascena Flower Oil, Benzyl Alcohol, "
        "Tocopherol, Citral*, Citronellol*, Eugenol*, Farnesol*, Geraniol*, Linalool*"
    )
    assert [line.inherited for line in label.lines] == [True] * 3 + [False] + [True] * 2 + [
        False
    ] * 6
    assert [i.inci_name for i in label.allergens] == [
        "Citral", "Citronellol", "Eugenol", "Farnesol", "Geraniol", "Linalool",
    ]  # fmt: skip
    assert label.has_footnote


def test_the_base_is_stored_once_whatever_the_number_of_fragrances(cream):
    assert ProductIngredient.objects.filter(ingredient__inci_name="Aqua").count() == 1
    labels = labels_for(cream.children.all())
    assert all(label.lines[0].ingredient.inci_name == "Aqua" for label in labels.values())


def test_a_change_to_the_base_shows_on_every_fragrance(cream):
    ProductIngredient.objects.filter(product=cream, ingredient__inci_name="Glycerin").update(
        ingredient=ingredient("Cetearyl Alcohol")
    )

    for label in labels_for(cream.children.all()).values():
        assert "Cetearyl Alcohol" in label.inci_line
        assert "Glycerin" not in label.inci_line


def test_two_oils_keep_their_order_between_the_base_and_the_rest(cream):
    cypress = variant(cream, "Fir Needle")

    label = labels_for([cypress])[cypress.pk]

    assert label.inci_line.startswith(
        "Aqua, Magnesium Chloride, Glycerin, Cupressus Sempervirens Oil, Abies Sibirica Oil, "
        "Benzyl Alcohol, Tocopherol, Camphor*"
    )
    assert [i.inci_name for i in label.essential_oils] == [
        "Cupressus Sempervirens Oil",
        "Abies Sibirica Oil",
    ]


def test_the_public_percentage_is_shown_with_the_common_name(cream):
    label = labels_for([variant(cream, "Rose")])[variant(cream, "Rose").pk]

    magnesium = label.lines[1]
    assert magnesium.common_name == "magnesium chloride (25%)"
    assert magnesium.inci == "Magnesium Chloride"


def test_the_preservative_allergen_is_not_starred_as_from_essential_oils(cream):
    label = labels_for([variant(cream, "Jasmine")])[variant(cream, "Jasmine").pk]

    assert "Benzyl Alcohol," in label.inci_line
    assert "Benzyl Alcohol*" not in label.inci_line
    assert "Benzyl Alcohol" not in [i.inci_name for i in label.allergens]


def test_labels_of_many_fragrances_take_one_query(cream):
    add_formula_to = add_variant(cream, "Neroli", 1, image=False)
    add_lines(add_formula_to, Section.FRAGRANCE, ["Citrus Aurantium Amara Flower Oil"])
    children = list(cream.children.all())

    with CaptureQueriesContext(connection) as queries:
        labels = labels_for(children)
        lines = [line.ingredient.inci_name for label in labels.values() for line in label.lines]

    assert len(queries) == 1
    assert len(labels) == 6
    assert "Citrus Aurantium Amara Flower Oil" in lines


def test_a_product_without_lines_has_an_empty_label():
    cream = create_cream((("Rose", 1),), images=False)

    label = derive_label(cream.children.get(), [])

    assert label.inci_line == ""
    assert not label.has_footnote


# --- The label check -------------------------------------------------------------


def problems(cream, name):
    return next(r for r in label_reviews() if r.product.title.endswith(name)).problems


def test_the_demo_like_formula_has_no_problem(cream):
    assert all(review.ok for review in label_reviews())


def test_a_fragrance_without_essential_oil_is_flagged(cream):
    ProductIngredient.objects.filter(
        product=variant(cream, "Rose"), section=Section.FRAGRANCE
    ).delete()

    assert problems(cream, "Rose") == [
        "no essential oil: a fragrance needs its oil in the Fragrance section"
    ]
    assert problems(cream, "Lavender") == []


def test_an_allergen_among_the_oils_is_flagged_as_before_the_ingredients_above_it(cream):
    rose = variant(cream, "Rose")
    ProductIngredient.objects.filter(product=rose, ingredient__inci_name="Linalool").update(
        section=Section.FRAGRANCE
    )

    assert problems(cream, "Rose") == [
        "Linalool is a fragrance allergen: list it with the declared allergens, after the "
        "ingredients above it."
    ]


def test_a_starred_ingredient_that_is_not_an_allergen_is_flagged(cream):
    add_lines(variant(cream, "Rose"), Section.ALLERGEN, ["Sorbic Acid"], start=20)

    assert problems(cream, "Rose") == [
        "Sorbic Acid is not a declared fragrance allergen, so it cannot be listed (and marked *) "
        "as one."
    ]


def test_an_ingredient_on_the_parent_and_the_child_is_a_duplicate(cream):
    add_lines(variant(cream, "Rose"), Section.MINOR, ["Glycerin"], start=20)

    assert problems(cream, "Rose") == ["Glycerin is listed twice."]


def test_a_base_ingredient_of_one_fragrance_only_is_missing_from_the_others(cream):
    add_lines(variant(cream, "Rose"), Section.MINOR, ["Sorbic Acid"], start=20)

    assert problems(cream, "Rose") == []
    assert problems(cream, "Lavender") == [
        "base ingredient missing: Sorbic Acid is in the base of another fragrance of this product"
    ]


def test_a_fragrance_without_base_formula_is_flagged(cream):
    ProductIngredient.objects.filter(product=cream).delete()

    assert problems(cream, "Rose") == ["base formula missing: no base ingredient on the label"]


def test_a_fragrance_without_any_line_is_flagged():
    cream = create_cream((("Rose", 1),), images=False)

    assert problems(cream, "Rose") == ["no ingredient list at all"]


def test_label_problems_reads_the_label_only():
    from catalogue.ingredients import Label

    assert label_problems(Label(product=None)) == ["no ingredient list at all"]


# --- Pack text ------------------------------------------------------------------


def test_pack_text_has_everything_a_pack_states(cream, settings):
    settings.SHOP_RESPONSIBLE_PERSON = "RP Ltd, 2 Road, London"
    rose = variant(cream, "Rose")

    text = pack_text(labels_for([rose])[rose.pk], PackFacts.from_settings(), name="Rose")

    assert text.splitlines() == [
        "Rose",
        "100 ml",
        "",
        "Ingredients: Aqua, Magnesium Chloride, Glycerin, Rosa Damascena Flower Oil, "
        "Benzyl Alcohol, Tocopherol, Citral*, Citronellol*, Eugenol*, Farnesol*, Geraniol*, "
        "Linalool*",
        "*naturally occurring in essential oils",
        "",
        "Warnings: For external use only. Avoid contact with eyes, broken or irritated skin. "
        "A mild warmth or tingling is normal; stop using it if irritation persists. Not to be "
        "used for children under 3 years of age (salicylic acid). Keep out of reach of children.",
        "",
        "Period after opening: 12M (use within 12 months of opening)",
        "",
        "Responsible Person: RP Ltd, 2 Road, London",
    ]

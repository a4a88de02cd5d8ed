"""Writing a product's ingredient lines: all or nothing, with a clear reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from oscar.core.loading import get_model

from catalogue.services import LineSpec, ingredient_lines_set
from tests.factories import add_formula, ingredient

pytestmark = pytest.mark.django_db

ProductIngredient = get_model("catalogue", "ProductIngredient")
Section = ProductIngredient.Section


@pytest.fixture
def cream(cream):
    return add_formula(cream)


def own_lines(product):
    return list(
        product.ingredient_lines.order_by("position").values_list(
            "position", "ingredient__inci_name", "section"
        )
    )


def rose_of(cream):
    return cream.children.get(title__endswith="Rose")


def test_it_replaces_the_lines_in_the_order_given(cream):
    rose = rose_of(cream)
    ingredient("Eugenol")

    changed = ingredient_lines_set(
        product=rose,
        lines=[
            LineSpec("Rosa Damascena Flower Oil", Section.FRAGRANCE, 1),
            LineSpec("eugenol", Section.ALLERGEN, 3),  # INCI names match whatever the case
            LineSpec("Linalool", Section.ALLERGEN, 2),
        ],
    )

    assert changed is True
    assert own_lines(rose) == [
        (1, "Rosa Damascena Flower Oil", "fragrance"),
        (2, "Linalool", "allergen"),
        (3, "Eugenol", "allergen"),
    ]


def test_the_same_lines_again_write_nothing(cream):
    rose = rose_of(cream)
    lines = [LineSpec(name, section, position) for position, name, section in own_lines(rose)]
    ids = list(rose.ingredient_lines.values_list("pk", flat=True))

    assert ingredient_lines_set(product=rose, lines=lines) is False
    assert list(rose.ingredient_lines.values_list("pk", flat=True)) == ids


def test_the_public_percentage_is_kept(cream):
    ingredient_lines_set(
        product=cream,
        lines=[
            LineSpec("Aqua", Section.BASE, 1),
            LineSpec("Magnesium Chloride", Section.BASE, 2, Decimal("25")),
        ],
    )

    assert cream.ingredient_lines.get(position=2).percent == Decimal("25")


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [("Rosa Damascena Flower Oil", "fragrance", 1), ("Unobtainium", "allergen", 2)],
            "Unknown ingredient “Unobtainium”: add it under Ingredients first, or check the "
            "INCI spelling.",
        ),
        (
            [("Rosa Damascena Flower Oil", "fragrance", 1), ("Linalool", "allergen", 2),
             ("Linalool", "allergen", 3)],
            "Linalool is listed twice.",
        ),
        (
            [("Rosa Damascena Flower Oil", "fragrance", 1), ("Linalool", "allergen", 3)],
            "Positions must run 1, 2, 3… with no gap; missing: 2.",
        ),
        (
            [("Rosa Damascena Flower Oil", "fragrance", 1), ("Linalool", "allergen", 1)],
            "Position 1 is used twice.",
        ),
        (
            [("Linalool", "allergen", 1), ("Rosa Damascena Flower Oil", "fragrance", 2)],
            "The order does not follow the label: base formula, fragrance, the rest of the "
            "formula, then declared allergens.",
        ),
        (
            [("Rosa Damascena Flower Oil", "fragrance", 1), ("Aqua", "allergen", 2)],
            "Aqua is not a declared fragrance allergen, so it cannot be listed (and marked *) "
            "as one.",
        ),
        (
            [("Rosa Damascena Flower Oil", "fragrance", 1), ("Linalool", "fragrance", 2)],
            "Linalool is a fragrance allergen: list it with the declared allergens, after the "
            "ingredients above it.",
        ),
        (
            [("Rosa Damascena Flower Oil", "fragrance", 1), ("Glycerin", "minor", 2)],
            "Glycerin: this product's lines can only be in: Fragrance (essential oils), "
            "Declared allergen, naturally occurring in essential oils.",
        ),
    ],
    ids=["unknown", "duplicate", "gap", "position-twice", "order", "not-allergen",
         "allergen-as-oil", "base-on-child"],
)  # fmt: skip
def test_bad_lines_are_refused_with_a_reason_and_change_nothing(cream, lines, message):
    rose = rose_of(cream)
    before = own_lines(rose)

    with pytest.raises(ValidationError) as error:
        ingredient_lines_set(product=rose, lines=[LineSpec(*line) for line in lines])

    assert message in error.value.messages
    assert own_lines(rose) == before


def test_a_parent_holds_only_the_base_formula(cream):
    with pytest.raises(ValidationError) as error:
        ingredient_lines_set(
            product=cream, lines=[LineSpec("Rosa Damascena Flower Oil", Section.FRAGRANCE, 1)]
        )

    assert error.value.messages == [
        "Rosa Damascena Flower Oil: this product's lines can only be in: Base formula, before "
        "the fragrance, Base formula, after the fragrance."
    ]


def test_no_lines_at_all_clears_the_list(cream):
    rose = rose_of(cream)

    assert ingredient_lines_set(product=rose, lines=[]) is True
    assert own_lines(rose) == []

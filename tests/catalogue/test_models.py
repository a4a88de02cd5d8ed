"""The database refuses what would make a label wrong, whoever writes it."""

import pytest
from django.db import IntegrityError, transaction
from oscar.core.loading import get_model

from tests.factories import create_cream, ingredient

pytestmark = pytest.mark.django_db

ProductIngredient = get_model("catalogue", "ProductIngredient")
Section = ProductIngredient.Section


@pytest.fixture
def parent():
    return create_cream(images=False)


def line(product, name, position, section=Section.BASE, **values):
    return ProductIngredient.objects.create(
        product=product, ingredient=ingredient(name), position=position, section=section, **values
    )


def refused(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        line(**kwargs)


def test_an_ingredient_is_once_in_one_products_lines(parent):
    line(parent, "Aqua", 1)

    refused(product=parent, name="Aqua", position=2)


def test_a_position_is_once_in_one_products_lines(parent):
    line(parent, "Aqua", 1)

    refused(product=parent, name="Glycerin", position=1)


def test_the_same_ingredient_and_position_on_another_product_is_fine(parent):
    rose = parent.children.get(title__endswith="Rose")
    line(parent, "Aqua", 1)

    line(rose, "Aqua", 1, section=Section.FRAGRANCE)

    assert ProductIngredient.objects.filter(ingredient__inci_name="Aqua").count() == 2


@pytest.mark.parametrize(
    "values",
    [{"position": 0}, {"percent": 0}, {"percent": 100.5}, {"section": "hidden"}],
)
def test_positions_percentages_and_sections_are_checked(parent, values):
    refused(product=parent, name="Aqua", **{"position": 1, **values})


@pytest.mark.parametrize(
    ("inci_name", "slug"), [("Aqua", "aqua-2"), ("Water", "aqua")], ids=["inci", "slug"]
)
def test_inci_name_and_slug_are_unique(inci_name, slug):
    Ingredient = get_model("catalogue", "Ingredient")
    ingredient("Aqua")

    with pytest.raises(IntegrityError), transaction.atomic():
        Ingredient.objects.create(inci_name=inci_name, slug=slug, common_name="x", function="y")


def test_an_ingredient_in_use_cannot_be_deleted(parent):
    from django.db.models import ProtectedError

    line(parent, "Aqua", 1)

    with pytest.raises(ProtectedError):
        ingredient("Aqua").delete()


def test_every_model_says_what_it_is(parent):
    assert str(ingredient("Aqua")) == "Aqua"
    assert str(line(parent, "Glycerin", 3)) == "3. Glycerin"

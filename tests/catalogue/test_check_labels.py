"""`manage.py check_labels`: a label reviewer's eye over every fragrance."""

import pytest
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model

from tests.factories import add_formula

pytestmark = pytest.mark.django_db

ProductIngredient = get_model("catalogue", "ProductIngredient")


@pytest.fixture
def cream(cream):
    return add_formula(cream)


def test_clean_labels_pass(cream, capsys):
    call_command("check_labels")

    out = capsys.readouterr().out
    assert "Magnesium Body Cream – Lavender" in out
    assert "Magnesium Body Cream – Rose" in out
    assert "5 labels checked: no problem." in out


def test_a_problem_is_reported_per_variant_and_fails_the_command(cream, capsys):
    rose = cream.children.get(title__endswith="Rose")
    rose.ingredient_lines.filter(section=ProductIngredient.Section.FRAGRANCE).delete()

    with pytest.raises(CommandError, match="1 of 5 labels need attention"):
        call_command("check_labels")

    lines = capsys.readouterr().out.splitlines()
    lavender, rose, clary, *_ = cream.children.order_by("id")
    assert lines[:4] == [
        f"Magnesium Body Cream – Lavender ({lavender.pk}): ok",
        f"Magnesium Body Cream – Rose ({rose.pk}):",
        "  - no essential oil: a fragrance needs its oil in the Fragrance section",
        f"Magnesium Body Cream – Clary Sage ({clary.pk}): ok",
    ]


def test_from_the_shell_it_exits_non_zero_on_a_problem(cream):
    from django.core.management import ManagementUtility

    cream.ingredient_lines.all().delete()

    with pytest.raises(SystemExit) as exit:
        ManagementUtility(["manage.py", "check_labels"]).execute()

    assert exit.value.code == 1

"""Writes to a product's ingredient lines. Views and the demo loader call these."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from oscar.core.loading import get_model

from catalogue.ingredients import (
    CHILD_SECTIONS,
    PARENT_SECTIONS,
    SECTION_RANK,
    Section,
    duplicate_problem,
    line_problems,
)

Product = get_model("catalogue", "Product")
Ingredient = get_model("catalogue", "Ingredient")
ProductIngredient = get_model("catalogue", "ProductIngredient")


@dataclass(frozen=True)
class LineSpec:
    """One wanted line of a product's own ingredient list."""

    inci_name: str
    section: str
    position: int
    percent: Decimal | None = None


def allowed_sections(product: Product) -> tuple[str, ...]:
    """A parent holds the base formula, a child its fragrance; a standalone product both."""
    if product.is_parent:
        return PARENT_SECTIONS
    if product.is_child:
        return CHILD_SECTIONS
    return tuple(Section.values)


def ingredient_lines_validate(*, product: Product, lines: list[LineSpec]) -> dict[str, Ingredient]:
    """Every problem with `lines` as one ValidationError; else the ingredients by INCI name."""
    known = {i.inci_name.casefold(): i for i in Ingredient.objects.all()}
    errors, found, seen, positions = [], {}, set(), set()
    allowed = allowed_sections(product)
    for line in lines:
        ingredient = known.get(line.inci_name.strip().casefold())
        if ingredient is None:
            errors.append(
                f"Unknown ingredient “{line.inci_name}”: add it under Ingredients first, "
                "or check the INCI spelling."
            )
            continue
        found[line.inci_name] = ingredient
        if ingredient.pk in seen:
            errors.append(duplicate_problem(ingredient))
        seen.add(ingredient.pk)
        if line.section not in allowed:
            labels = ", ".join(str(Section(s).label) for s in allowed)
            errors.append(f"{ingredient.inci_name}: this product's lines can only be in: {labels}.")
        errors += line_problems(ingredient, line.section)
        if line.position in positions:
            errors.append(f"Position {line.position} is used twice.")
        positions.add(line.position)
    if positions and not errors:
        missing = sorted(set(range(1, len(lines) + 1)) - positions)
        if missing or min(positions) < 1:
            errors.append(
                "Positions must run 1, 2, 3… with no gap; missing: "
                + ", ".join(map(str, missing))
                + "."
            )
    if not errors:
        ordered = sorted(lines, key=lambda line: line.position)
        ranks = [SECTION_RANK[line.section] for line in ordered]
        if ranks != sorted(ranks):
            errors.append(
                "The order does not follow the label: base formula, fragrance, the rest of "
                "the formula, then declared allergens."
            )
    if errors:
        raise ValidationError(errors)
    return found


def ingredient_lines_set(*, product: Product, lines: list[LineSpec]) -> bool:
    """Make `lines` the product's own ingredient list; False when it already was.

    All or nothing: invalid lines raise ValidationError and change nothing.
    """
    with transaction.atomic():
        # One editor at a time per product: the list is replaced as a whole.
        Product.objects.select_for_update().filter(pk=product.pk).first()
        ingredients = ingredient_lines_validate(product=product, lines=lines)
        wanted = [
            ProductIngredient(
                product=product,
                ingredient=ingredients[line.inci_name],
                section=line.section,
                position=line.position,
                percent=line.percent,
            )
            for line in lines
        ]
        current = product.ingredient_lines.all()

        def key(row):
            return (row.position, row.ingredient_id, row.section, row.percent)

        if sorted(map(key, current)) == sorted(map(key, wanted)):
            return False
        # Replaced as a whole: positions are unique per product, so moving
        # lines one by one would collide midway.
        product.ingredient_lines.all().delete()
        ProductIngredient.objects.bulk_create(wanted)
        return True

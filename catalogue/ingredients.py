"""What is in each fragrance: labels derived from structured ingredient lines.

A parent product carries the base formula; each child (a fragrance) carries
only its essential oil(s) and the allergens they bring. A variant's label is
derived from both, in the order of `ProductIngredient.Section` and then of each
product's own positions, and is never stored. Reads here take a fixed number
of queries whatever the number of ingredients or variants.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Ingredient = get_model("catalogue", "Ingredient")
ProductIngredient = get_model("catalogue", "ProductIngredient")
Section = ProductIngredient.Section

ALLERGEN_MARK = "*"
ALLERGEN_FOOTNOTE = "naturally occurring in essential oils"
SECTION_RANK = {value: rank for rank, value in enumerate(Section.values)}
BASE_SECTIONS = (Section.BASE, Section.MINOR)
PARENT_SECTIONS = BASE_SECTIONS
CHILD_SECTIONS = (Section.FRAGRANCE, Section.ALLERGEN)


@dataclass(frozen=True)
class LabelLine:
    ingredient: Ingredient
    section: str
    percent: Decimal | None = None
    inherited: bool = False

    @property
    def is_declared_allergen(self) -> bool:
        return self.section == Section.ALLERGEN

    @property
    def inci(self) -> str:
        mark = ALLERGEN_MARK if self.is_declared_allergen else ""
        return f"{self.ingredient.inci_name}{mark}"

    @property
    def percent_text(self) -> str:
        return f"{self.percent.normalize():f}%" if self.percent is not None else ""

    @property
    def common_name(self) -> str:
        name = self.ingredient.common_name
        return f"{name} ({self.percent_text})" if self.percent is not None else name


@dataclass
class Label:
    """A product's effective INCI list, in label order."""

    product: Product
    lines: list[LabelLine] = field(default_factory=list)

    @property
    def inci_line(self) -> str:
        return ", ".join(line.inci for line in self.lines)

    @property
    def allergens(self) -> list[Ingredient]:
        return [line.ingredient for line in self.lines if line.is_declared_allergen]

    @property
    def essential_oils(self) -> list[Ingredient]:
        return [line.ingredient for line in self.lines if line.section == Section.FRAGRANCE]

    @property
    def base(self) -> list[Ingredient]:
        return [line.ingredient for line in self.lines if line.section in BASE_SECTIONS]

    @property
    def has_footnote(self) -> bool:
        return any(line.is_declared_allergen for line in self.lines)

    @property
    def ingredient_ids(self) -> frozenset[int]:
        return frozenset(line.ingredient.pk for line in self.lines)

    def contains(self, ingredient: Ingredient) -> bool:
        return ingredient.pk in self.ingredient_ids


def _sort_key(row: ProductIngredient, product: Product):
    # Inherited lines first within a section, then each product's own order.
    return (
        SECTION_RANK.get(row.section, len(SECTION_RANK)),
        row.product_id == product.pk,
        row.position,
    )


def derive_label(product: Product, rows: Iterable[ProductIngredient]) -> Label:
    """The label of `product` from its own rows and (for a child) its parent's."""
    owners = {product.pk, product.parent_id} - {None}
    mine = sorted((r for r in rows if r.product_id in owners), key=lambda r: _sort_key(r, product))
    return Label(
        product=product,
        lines=[
            LabelLine(
                ingredient=row.ingredient,
                section=row.section,
                percent=row.percent,
                inherited=row.product_id != product.pk,
            )
            for row in mine
        ],
    )


def labels_for(products: Iterable[Product]) -> dict[int, Label]:
    """Every product's label in one query, keyed by product pk."""
    products = list(products)
    owners = {p.pk for p in products} | {p.parent_id for p in products if p.parent_id}
    rows = defaultdict(list)
    if products:
        for row in ProductIngredient.objects.filter(product_id__in=owners).select_related(
            "ingredient"
        ):
            rows[row.product_id].append(row)
    return {p.pk: derive_label(p, rows[p.pk] + rows[p.parent_id]) for p in products}


@dataclass
class AllergenRow:
    """One fragrance allergen and which fragrances have it, for "which are free of it?"."""

    ingredient: Ingredient
    present_in: list = field(default_factory=list)
    free_in: list = field(default_factory=list)


def allergen_table(variants) -> list[AllergenRow]:
    """Rows for every allergen declared by any of `variants` (each with a `.label`)."""
    allergens = {}
    for variant in variants:
        for ingredient in variant.label.allergens:
            allergens.setdefault(ingredient.pk, ingredient)
    rows = []
    for ingredient in sorted(allergens.values(), key=lambda i: i.inci_name):
        row = AllergenRow(ingredient=ingredient)
        for variant in variants:
            (row.present_in if variant.label.contains(ingredient) else row.free_in).append(variant)
        rows.append(row)
    return rows


# --- The label check --------------------------------------------------------


def line_problems(ingredient: Ingredient, section: str) -> list[str]:
    """The label rules one line must follow, in the words staff see everywhere: the
    dashboard's line editor refuses them, `check_labels` and the label review flag them."""
    problems = []
    if ingredient.is_allergen and section in (Section.BASE, Section.FRAGRANCE):
        problems.append(
            f"{ingredient.inci_name} is a fragrance allergen: list it with the declared "
            "allergens, after the ingredients above it."
        )
    if section == Section.ALLERGEN and not ingredient.is_allergen:
        problems.append(
            f"{ingredient.inci_name} is not a declared fragrance allergen, so it cannot be "
            f"listed (and marked {ALLERGEN_MARK}) as one."
        )
    return problems


def duplicate_problem(ingredient: Ingredient) -> str:
    return f"{ingredient.inci_name} is listed twice."


def label_problems(label: Label, *, family_base: Iterable[Ingredient] = ()) -> list[str]:
    """What a label reviewer would flag on a fragrance's label.

    `family_base` is the union of the base ingredients of every fragrance of
    the family: each fragrance must carry all of them.
    """
    problems = []
    if not label.lines:
        return ["no ingredient list at all"]
    if not label.essential_oils:
        problems.append("no essential oil: a fragrance needs its oil in the Fragrance section")
    seen = set()
    for line in label.lines:
        if line.ingredient.pk in seen:
            problems.append(duplicate_problem(line.ingredient))
        seen.add(line.ingredient.pk)
    for line in label.lines:
        problems += line_problems(line.ingredient, line.section)
    if not label.base:
        problems.append("base formula missing: no base ingredient on the label")
    base = {i.pk for i in label.base}
    for ingredient in sorted(family_base, key=lambda i: i.inci_name):
        if ingredient.pk not in base:
            problems.append(
                f"base ingredient missing: {ingredient.inci_name} is in the base of "
                "another fragrance of this product"
            )
    return problems


# --- Pack text ----------------------------------------------------------------


@dataclass(frozen=True)
class PackFacts:
    """What every pack states besides the ingredients (settings; STORE.md)."""

    size: str
    pao_months: int
    warnings: tuple[str, ...]
    responsible_person: str

    @classmethod
    def from_settings(cls) -> "PackFacts":
        return cls(
            size=settings.SHOP_PACK_SIZE,
            pao_months=settings.SHOP_PERIOD_AFTER_OPENING_MONTHS,
            warnings=tuple(settings.SHOP_WARNINGS),
            responsible_person=settings.SHOP_RESPONSIBLE_PERSON,
        )

    @property
    def pao(self) -> str:
        return f"{self.pao_months}M"


def pack_text(label: Label, facts: PackFacts, *, name: str) -> str:
    """The label text of one fragrance, as plain text for the pack designer."""
    parts = [
        name,
        facts.size,
        "",
        f"Ingredients: {label.inci_line}",
    ]
    if label.has_footnote:
        parts.append(f"{ALLERGEN_MARK}{ALLERGEN_FOOTNOTE}")
    parts += [
        "",
        "Warnings: " + " ".join(facts.warnings),
        "",
        f"Period after opening: {facts.pao} (use within {facts.pao_months} months of opening)",
        "",
        f"Responsible Person: {facts.responsible_person}",
    ]
    return "\n".join(parts) + "\n"


@dataclass
class LabelReview:
    """One fragrance's label and what a reviewer would flag on it."""

    product: Product
    label: Label
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def label_reviews(products=None) -> list[LabelReview]:
    """The label check for every variant (or the given ones), in a fixed number of queries."""
    if products is None:
        products = Product.objects.filter(structure=Product.CHILD)
    products = list(products.select_related("parent").order_by("parent_id", "id"))
    labels = labels_for(products)
    family_base = defaultdict(dict)
    for product in products:
        for ingredient in labels[product.pk].base:
            family_base[product.parent_id].setdefault(ingredient.pk, ingredient)
    return [
        LabelReview(
            product=product,
            label=labels[product.pk],
            problems=label_problems(
                labels[product.pk], family_base=family_base[product.parent_id].values()
            ),
        )
        for product in products
    ]

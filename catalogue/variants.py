"""A parent product and its fragrance variants, read once for a page.

The product page, the home page and (later) the basket's picker all need the
same things about each variant: its fragrance, price and availability from the
partner strategy, and its image. `product_family` fetches them in a fixed
number of queries whatever the number of variants.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch
from oscar.core.loading import get_class, get_model

from catalogue.ingredients import allergen_table, labels_for

Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductAlert = get_model("customer", "ProductAlert")
ProductAlertForm = get_class("customer.forms", "ProductAlertForm")

VARIANT_ATTRIBUTE = "fragrance"


@dataclass
class Variant:
    product: Product
    name: str
    price: object
    availability: object
    image: object | None
    alert_form: object | None = None
    has_active_alert: bool = False
    is_selected: bool = False
    label: object | None = None
    stockrecord: object | None = None

    @property
    def pk(self) -> int:
        return self.product.pk

    @property
    def url(self) -> str:
        return self.product.get_absolute_url()

    @property
    def is_available_to_buy(self) -> bool:
        return self.availability.is_available_to_buy and self.price.exists


@dataclass
class Family:
    parent: Product
    image: object | None
    variants: list[Variant] = field(default_factory=list)
    selected: Variant | None = None

    @property
    def prices(self):
        return sorted({v.price.incl_tax for v in self.variants if v.price.exists})

    @cached_property
    def allergens(self):
        """Each allergen any fragrance declares, with the fragrances free of it."""
        return allergen_table([v for v in self.variants if v.label is not None])

    def find(self, pk) -> Variant | None:
        return next((v for v in self.variants if str(v.pk) == str(pk)), None)


def _first_image(product):
    images = sorted(product.images.all(), key=lambda image: (image.display_order, image.pk))
    return images[0] if images else None


def _variant_name(product) -> str:
    for value in product.attribute_values.all():
        if value.attribute.code == VARIANT_ATTRIBUTE:
            return str(value.value)
    return product.get_title()


def product_family(
    product, request, *, selected=None, with_alerts=True, with_labels=False
) -> Family:
    """The family of `product` (a parent, or one of its children) for `request`.

    `selected` is the child to show first; by default the first one that can
    be bought, so a parent page opens on something the shopper can buy.
    `with_labels` adds each variant's ingredient label (one query).
    """
    parent = product.parent if product.is_child else product
    children = (
        parent.children.filter(is_public=True)
        .order_by("id")
        .prefetch_related(
            "stockrecords",
            "images",
            Prefetch(
                "attribute_values",
                queryset=ProductAttributeValue.objects.select_related("attribute"),
            ),
        )
    )
    family = Family(parent=parent, image=_first_image(parent))
    for child in children:
        info = request.strategy.fetch_for_product(child)
        family.variants.append(
            Variant(
                product=child,
                name=_variant_name(child),
                price=info.price,
                availability=info.availability,
                stockrecord=info.stockrecord,
                image=_first_image(child) or family.image,
            )
        )

    if with_labels and family.variants:
        labels = labels_for(v.product for v in family.variants)
        for variant in family.variants:
            variant.label = labels[variant.pk]

    if with_alerts:
        sold_out = [v for v in family.variants if not v.is_available_to_buy]
        active = set()
        if sold_out and request.user.is_authenticated:
            active = set(
                ProductAlert.objects.filter(
                    user=request.user,
                    status=ProductAlert.ACTIVE,
                    product__in=[v.product for v in sold_out],
                ).values_list("product_id", flat=True)
            )
        for variant in sold_out:
            variant.has_active_alert = variant.pk in active
            variant.alert_form = ProductAlertForm(
                user=request.user, product=variant.product, auto_id=f"alert-{variant.pk}-%s"
            )

    chosen = selected if selected is not None else (product if product.is_child else None)
    if chosen is not None:
        family.selected = family.find(chosen.pk)
    if family.selected is None and family.variants:
        family.selected = next(
            (v for v in family.variants if v.is_available_to_buy), family.variants[0]
        )
    if family.selected is not None:
        family.selected.is_selected = True
    return family


@dataclass
class Fragrance:
    """A public variant and its label, for pages about ingredients."""

    product: Product
    name: str
    label: object

    @property
    def url(self) -> str:
        return self.product.get_absolute_url()


def fragrances() -> list[Fragrance]:
    """Every public variant of a public product with its label, in a fixed number of queries."""
    children = list(
        Product.objects.filter(structure=Product.CHILD, is_public=True, parent__is_public=True)
        .order_by("parent_id", "id")
        .prefetch_related(
            Prefetch(
                "attribute_values",
                queryset=ProductAttributeValue.objects.select_related("attribute"),
            )
        )
    )
    labels = labels_for(children)
    return [
        Fragrance(product=child, name=_variant_name(child), label=labels[child.pk])
        for child in children
    ]

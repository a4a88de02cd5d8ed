"""Focused catalogue state for tests: a cream with its fragrance variants."""

import io
from decimal import Decimal

from django.core.files.base import ContentFile
from oscar.core.loading import get_model
from PIL import Image

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")


def png_bytes(colour="#8E7CC3", size=(600, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def add_image(product, colour="#8E7CC3", size=(600, 600)):
    image = ProductImage(product=product, display_order=0)
    image.original.save(f"{product.slug}.png", ContentFile(png_bytes(colour, size)), save=True)
    return image


def create_cream(fragrances=(("Lavender", 40), ("Rose", 25)), *, threshold=5, images=True):
    """A public parent with one child per (fragrance, stock), priced £18.00."""
    product_class, _ = ProductClass.objects.get_or_create(
        slug="magnesium-cream", defaults={"name": "Magnesium cream", "track_stock": True}
    )
    attribute, _ = ProductAttribute.objects.get_or_create(
        product_class=product_class,
        code="fragrance",
        defaults={"name": "Fragrance", "type": "text"},
    )
    partner = Partner.objects.create(name="Magnesium Body Cream Ltd")
    parent = Product.objects.create(
        structure=Product.PARENT,
        title="Magnesium Body Cream",
        slug="magnesium-body-cream",
        product_class=product_class,
        description="<p>About the cream.</p>",
    )
    if images:
        add_image(parent, "#cccccc")
    for name, stock in fragrances:
        add_variant(
            parent,
            name,
            stock,
            partner=partner,
            attribute=attribute,
            threshold=threshold,
            image=images,
        )
    return parent


def add_variant(
    parent, name, stock, *, partner=None, attribute=None, threshold=5, image=True, price="18.00"
):
    partner = partner or Partner.objects.first() or Partner.objects.create(name="Partner")
    attribute = attribute or ProductAttribute.objects.get(code="fragrance")
    slug = name.lower().replace(" & ", "-").replace(" ", "-")
    child = Product.objects.create(
        structure=Product.CHILD,
        parent=parent,
        title=f"Magnesium Body Cream – {name}",
        slug=f"magnesium-body-cream-{slug}",
        description=f"<p>{name} description.</p>",
    )
    ProductAttributeValue.objects.create(product=child, attribute=attribute, value_text=name)
    StockRecord.objects.create(
        product=child,
        partner=partner,
        partner_sku=f"SKU-{slug.upper()}",
        price=Decimal(price),
        price_currency="GBP",
        num_in_stock=stock,
        low_stock_threshold=threshold,
    )
    if image:
        add_image(child)
    return child

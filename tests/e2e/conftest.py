from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from oscar.core.loading import get_model

from shop.management.jars import draw_jar_image
from tests.conftest import IN_CI
from tests.factories import FIVE_FRAGRANCES, add_formula, create_cream

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")

COLOURS = ["#8E7CC3", "#E6A1B3", "#93B18D", "#F2E3A1", "#3E6B54"]
# The guide's article that shows the cream's card (fixtures/blog.json).
ARTICLE = "/blog/how-i-recommend-using-the-magnesium-cream-for-ql-muscle-pain/"


@pytest.fixture
def storefront(media):
    """Demo-like pages: the cream in five fragrances with their ingredient panels,
    real Pillow images, and the guide with the cream's card on its usage article."""
    cream = add_formula(create_cream(FIVE_FRAGRANCES, images=False))
    # The demo loader's drawn jars, not flat colours: images weigh what the demo's do.
    for product, label, colours in [
        (cream, "Five fragrances", COLOURS),
        *[
            (child, child.attr.fragrance, [colour])
            for child, colour in zip(cream.children.order_by("id"), COLOURS, strict=True)
        ],
    ]:
        png = draw_jar_image(shop_name="Magnesium Body Cream", label=label, colours=colours)
        image = ProductImage(product=product, display_order=0)
        image.original.save(f"{product.slug}.png", ContentFile(png), save=True)
    Product.objects.filter(pk=cream.pk).update(upc="MGC-100")  # as in fixtures/blog.json
    call_command("import_guide", verbosity=0)
    return cream


@pytest.fixture
def storefront_pages(storefront):
    """The pages the audits check, by name: the storefront's every kind of page."""
    rose = storefront.children.get(title__endswith="Rose")
    return {
        "home": "/",
        "product": storefront.get_absolute_url(),
        "child product": rose.get_absolute_url(),
        "basket": "/basket/",
        "guide": "/blog/",
        "article": ARTICLE,
        "ingredients": "/ingredients/",
    }


NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"


def node_package(path: str) -> Path:
    """A file of the audits' npm packages (package.json); CI fails when it is missing."""
    found = NODE_MODULES / path
    if not found.exists():
        if IN_CI:
            pytest.fail(f"{found} is missing: .ci/run installs the npm packages (npm ci)")
        pytest.skip(f"the browser audits need `npm ci` ({found} is missing)")
    return found


@pytest.fixture(scope="session")
def axe_script():
    return node_package("axe-core/axe.min.js")


@pytest.fixture(scope="session")
def lighthouse_cli():
    return node_package(".bin/lighthouse")

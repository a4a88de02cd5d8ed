"""Focused state for tests: a cream with its fragrance variants, its formula, staff HTML,
and users signed in with their flags, permissions and group."""

import io
from decimal import Decimal

from django.core.files.base import ContentFile
from oscar.core.loading import get_model
from PIL import Image

from shop.stock.models import StockMovement
from shop.stock.services import stock_adjust

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


# The shop's five fragrances, with stock levels that show every availability message.
FIVE_FRAGRANCES = (
    ("Lavender", 40),
    ("Rose", 25),
    ("Clary Sage", 4),
    ("Jasmine", 0),
    ("Cypress & Fir Needle", 60),
)


def variant(parent, name):
    """The parent's child of that fragrance."""
    return parent.children.get(title__endswith=name)


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
    record = StockRecord.objects.create(
        product=child,
        partner=partner,
        partner_sku=f"SKU-{slug.upper()}",
        price=Decimal(price),
        price_currency="GBP",
        num_in_stock=0,
        low_stock_threshold=threshold,
    )
    if stock:
        # Through the ledger, as the shop does: movements always add up to the stock.
        stock_adjust(stockrecord=record, quantity=stock, reason=StockMovement.Reason.RECEIVED)
    if image:
        add_image(child)
    return child


def create_standalone(title, stock, price="10.00"):
    """A standalone product (no fragrances) with its stock received through the ledger."""
    from oscar.test.factories import create_product

    product = create_product(title=title, price=Decimal(price))
    stock_adjust(
        stockrecord=product.stockrecords.get(),
        quantity=stock,
        reason=StockMovement.Reason.RECEIVED,
    )
    return product


Ingredient = get_model("catalogue", "Ingredient")
ProductIngredient = get_model("catalogue", "ProductIngredient")

# A short base formula and STORE.md's oils and allergens, enough for focused tests.
BASE = ["Aqua", "Magnesium Chloride", "Glycerin"]
MINOR = ["Benzyl Alcohol", "Tocopherol"]
OILS = {
    "Lavender": ["Lavandula Angustifolia Oil"],
    "Rose": ["Rosa Damascena Flower Oil"],
    "Clary Sage": ["Salvia Sclarea Oil"],
    "Jasmine": ["Jasminum Grandiflorum Flower Extract"],
    "Cypress & Fir Needle": ["Cupressus Sempervirens Oil", "Abies Sibirica Oil"],
}
ALLERGENS = {
    "Lavender": ["Coumarin", "Geraniol", "Limonene", "Linalool", "Linalyl Acetate"],
    "Rose": ["Citral", "Citronellol", "Eugenol", "Farnesol", "Geraniol", "Linalool"],
    "Clary Sage": ["Geraniol", "Limonene", "Linalool", "Linalyl Acetate", "Sclareol"],
    "Jasmine": ["Benzyl Benzoate", "Eugenol", "Farnesol", "Linalool"],
    "Cypress & Fir Needle": ["Camphor", "Limonene", "Pinene"],
}
ALLERGEN_NAMES = {name for names in ALLERGENS.values() for name in names} | {"Benzyl Alcohol"}


def ingredient(inci_name, **values):
    slug = inci_name.lower().replace(" ", "-")
    defaults = {
        "slug": slug,
        "common_name": inci_name.lower(),
        "function": "Fragrance" if inci_name.endswith(("Oil", "Extract")) else "Emollient",
        "is_allergen": inci_name in ALLERGEN_NAMES,
        **values,
    }
    return Ingredient.objects.get_or_create(inci_name=inci_name, defaults=defaults)[0]


def add_lines(product, section, names, *, start=1):
    for position, name in enumerate(names, start=start):
        percent = Decimal("25") if name == "Magnesium Chloride" else None
        ProductIngredient.objects.create(
            product=product,
            ingredient=ingredient(name),
            section=section,
            position=position,
            percent=percent,
        )


def add_formula(parent):
    """The base formula on the parent, and each child's oils and allergens by its fragrance."""
    add_lines(parent, ProductIngredient.Section.BASE, BASE)
    add_lines(parent, ProductIngredient.Section.MINOR, MINOR, start=len(BASE) + 1)
    for child in parent.children.all():
        name = child.attr.fragrance
        add_lines(child, ProductIngredient.Section.FRAGRANCE, OILS[name])
        add_lines(
            child, ProductIngredient.Section.ALLERGEN, ALLERGENS[name], start=len(OILS[name]) + 1
        )
    return parent


# Staff HTML that tries to run script, in each form an editor might paste it.
HOSTILE_HTML = (
    '<p onclick="window.__owned=1">Kept <strong>bold</strong> and <em>emphasis</em></p>'
    "<script>window.__owned=1</script>"
    '<img src="/nope.png" onerror="window.__owned=1">'
    '<a href="javascript:window.__owned=1">a link</a>'
    '<iframe src="/"></iframe><style>body{display:none}</style>'
)


def create_staff_html_pages(html=HOSTILE_HTML) -> dict[str, str]:
    """The five storefront places that show staff-typed HTML, each holding `html`:
    {name: URL}. A stand-alone product, a category, a flat page, an offer, a range."""
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site
    from oscar.test import factories

    category = factories.CategoryFactory(name="Gifts", slug="gifts", description=html)
    product = factories.ProductFactory(
        title="Gift tin", slug="gift-tin", description=html, categories=None
    )
    factories.ProductCategoryFactory(product=product, category=category)
    product_range = factories.RangeFactory(
        name="Gift range",
        slug="gift-range",
        description=html,
        includes_all_products=True,
        is_public=True,
    )
    offer = factories.ConditionalOfferFactory(
        name="Gift offer",
        slug="gift-offer",
        description=html,
        benefit=factories.BenefitFactory(range=product_range),
        condition=factories.ConditionFactory(range=product_range, value=2),
    )
    page = FlatPage.objects.create(url="/delivery/", title="Delivery", content=html)
    page.sites.add(Site.objects.get_current())
    return {
        "stand-alone product": product.get_absolute_url(),
        "category": category.get_absolute_url(),
        "flat page": page.url,
        "offer": offer.get_absolute_url(),
        "offers list": "/offers/",
        "range": product_range.get_absolute_url(),
    }


def signed_in_client(*, group=None, permissions=(), **flags):
    """A test client signed in as a new user with these `flags` (is_staff…), model
    `permissions` ("app_label.codename") and `group` (by name)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.test import Client

    User = get_user_model()
    number = User.objects.count() + 1
    user = User.objects.create_user(f"user{number}", f"user{number}@example.com", "pw", **flags)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client

"""Build the demo shop of STORE.md from `fixtures/`, through the domain code.

Upserts on natural keys (product UPC, partner code + SKU, attribute code,
ingredient INCI name; a product's ingredient lines as a whole), so
running it twice changes nothing. Stock is set only when a stock record is
first created, as a "received" movement through the stock service: after
that, stock belongs to the shop (orders, staff), and a re-run must not reset it.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from catalogue.services import LineSpec, ingredient_lines_set
from shop.management.jars import draw_jar_image
from shop.sites import site_sync
from shop.stock.models import StockMovement
from shop.stock.services import stock_adjust
from shop.trader.services import page_specs, pages_sync

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Ingredient = get_model("catalogue", "Ingredient")

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def upsert(model, lookup: dict, values: dict):
    """Create, or update only the fields that differ: a re-run writes nothing."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return obj, False


def html_paragraphs(paragraphs: list[str]) -> str:
    from django.utils.html import escape

    return "\n".join(f"<p>{escape(text)}</p>" for text in paragraphs)


class Command(BaseCommand):
    help = "Load (or bring up to date) the demo shop: catalogue, stock, images, staff login."

    def handle(self, *args, **options):
        data = json.loads((FIXTURES / "catalogue.json").read_text(encoding="utf-8"))
        with transaction.atomic():
            self.created = 0
            self.count(site_sync())
            partner, _ = upsert(
                Partner, {"code": data["partner"]["code"]}, {"name": data["partner"]["name"]}
            )
            product_class = self.load_product_class(data["product_class"])
            category = create_from_breadcrumbs(data["category"])
            for spec in data["products"]:
                self.load_product(spec, product_class, category, partner)
            self.load_ingredients(
                json.loads((FIXTURES / "ingredients.json").read_text(encoding="utf-8"))
            )
            staff = self.load_staff()
            pages = pages_sync(specs=page_specs())
            self.created += len(pages.created)
        for url in pages.differing:
            self.stderr.write(
                self.style.WARNING(f"Page {url} differs from fixtures/pages/; kept as it is")
            )
        call_command("import_guide", stdout=self.stdout, verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS(f"Demo store ready ({self.created} objects created)."))
        if staff:
            login = f"{settings.SHOP_DEMO_STAFF_EMAIL} / {settings.SHOP_DEMO_STAFF_PASSWORD}"
            self.stdout.write(f"Staff login: {login} (dashboard at /dashboard/)")

    def count(self, created: bool) -> None:
        self.created += int(created)

    def load_product_class(self, spec):
        product_class, created = upsert(
            ProductClass,
            {"slug": spec["slug"]},
            {
                "name": spec["name"],
                "track_stock": spec["track_stock"],
                "requires_shipping": spec["requires_shipping"],
            },
        )
        self.count(created)
        for attribute in spec["attributes"]:
            _, created = upsert(
                ProductAttribute,
                {"product_class": product_class, "code": attribute["code"]},
                {
                    "name": attribute["name"],
                    "type": attribute["type"],
                    "required": attribute["required"],
                },
            )
            self.count(created)
        return product_class

    def load_product(self, spec, product_class, category, partner):
        parent, created = upsert(
            Product,
            {"upc": spec["upc"]},
            {
                "structure": Product.PARENT,
                "title": spec["title"],
                "slug": spec["slug"],
                "product_class": product_class,
                "description": html_paragraphs(spec["description"]),
                "meta_description": spec["meta_description"],
                "is_public": True,
            },
        )
        self.count(created)
        _, created = ProductCategory.objects.get_or_create(product=parent, category=category)
        self.count(created)
        self.load_image(parent, spec["image"])

        fragrance = ProductAttribute.objects.get(product_class=product_class, code="fragrance")
        for child_spec in spec["children"]:
            child, created = upsert(
                Product,
                {"upc": child_spec["upc"]},
                {
                    "structure": Product.CHILD,
                    "parent": parent,
                    "title": child_spec["title"],
                    "slug": child_spec["slug"],
                    "description": html_paragraphs(child_spec["description"]),
                    "is_public": True,
                },
            )
            self.count(created)
            _, created = upsert(
                ProductAttributeValue,
                {"product": child, "attribute": fragrance},
                {"value_text": child_spec["fragrance"]},
            )
            self.count(created)
            self.load_stock(child, child_spec, partner)
            self.load_image(child, child_spec["image"])

    def load_ingredients(self, data):
        """Ingredients by INCI name, then each product's own lines (by UPC) in label order."""
        for spec in data["ingredients"]:
            _, created = upsert(
                Ingredient,
                {"inci_name": spec["inci_name"]},
                {k: spec[k] for k in ("slug", "common_name", "function", "reason", "is_allergen")},
            )
            self.count(created)
        for spec in data["ingredient_lists"]:
            lines = [
                LineSpec(
                    inci_name=line["ingredient"],
                    section=line["section"],
                    position=position,
                    percent=Decimal(line["percent"]) if "percent" in line else None,
                )
                for position, line in enumerate(spec["lines"], start=1)
            ]
            product = Product.objects.get(upc=spec["product"])
            self.count(ingredient_lines_set(product=product, lines=lines))

    def load_stock(self, product, spec, partner):
        record = StockRecord.objects.filter(partner=partner, partner_sku=spec["sku"]).first()
        values = {
            "product": product,
            "price": Decimal(spec["price"]),
            "price_currency": settings.OSCAR_DEFAULT_CURRENCY,
            "low_stock_threshold": spec["low_stock_threshold"],
        }
        if record is None:
            record = StockRecord.objects.create(
                partner=partner, partner_sku=spec["sku"], num_in_stock=0, **values
            )
            if spec["stock"]:
                stock_adjust(
                    stockrecord=record,
                    quantity=spec["stock"],
                    reason=StockMovement.Reason.RECEIVED,
                    note="Demo store: opening stock",
                )
            self.count(True)
        else:
            upsert(StockRecord, {"pk": record.pk}, values)

    def load_image(self, product, spec):
        """One drawn image per product; redrawn only when its file has gone missing."""
        image = product.images.order_by("display_order").first()
        if image and image.original and image.original.storage.exists(image.original.name):
            return
        content = ContentFile(
            draw_jar_image(
                shop_name=settings.OSCAR_SHOP_NAME, label=spec["label"], colours=spec["colours"]
            )
        )
        if image is None:
            image = ProductImage(product=product, caption=spec["label"], display_order=0)
            self.count(True)
        image.original.save(f"{product.upc.lower()}.png", content, save=True)

    def load_staff(self):
        if not settings.SHOP_DEMO_STAFF_PASSWORD:
            return None
        User = get_user_model()
        email = settings.SHOP_DEMO_STAFF_EMAIL
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(username="staff", email=email, is_staff=True, is_superuser=True)
            user.set_password(settings.SHOP_DEMO_STAFF_PASSWORD)
            user.save()
            self.count(True)
        return user

import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from oscar.core.loading import get_model
from PIL import Image

from shop.stock.services import stock_adjust

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

# STORE.md, "The product".
STORE = [
    ("Lavender", "MGC-100-LAV", 40, "#8E7CC3"),
    ("Rose", "MGC-100-ROS", 25, "#E8A0B4"),
    ("Clary Sage", "MGC-100-CLS", 4, "#8FAF8A"),
    ("Jasmine", "MGC-100-JAS", 0, "#F3E3A3"),
    ("Cypress & Fir Needle", "MGC-100-CYF", 60, "#3E6B54"),
]


def snapshot():
    """Every row of every table: a re-run must leave all of them as they were."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def test_demo_store_is_the_catalogue_of_store_md(media):
    call_command("load_demo_store", verbosity=0)

    parent = Product.objects.get(upc="MGC-100")
    assert parent.is_parent
    assert parent.title == "Magnesium Body Cream"
    assert parent.product_class.name == "Magnesium cream"
    assert [c.name for c in parent.categories.all()] == ["Body creams"]
    children = list(parent.children.order_by("id"))
    assert [c.attr.fragrance for c in children] == [name for name, *_ in STORE]
    for child, (name, sku, stock, _colour) in zip(children, STORE, strict=True):
        record = child.stockrecords.get()
        assert record.partner_sku == sku
        assert record.price == Decimal("18.00")
        assert record.price_currency == "GBP"
        assert record.num_in_stock == stock
        # Through the ledger: one "received" movement, none for a sold-out variant.
        assert [(m.reason, m.quantity) for m in record.movements.all()] == (
            [("received", stock)] if stock else []
        )
        assert record.low_stock_threshold == 5
        assert child.title == f"Magnesium Body Cream – {name}"


def test_demo_store_draws_an_image_for_every_product(media):
    call_command("load_demo_store", verbosity=0)

    for product in Product.objects.filter(upc__startswith="MGC-100"):
        image = product.images.get()
        with Image.open(image.original.path) as picture:
            assert picture.format == "PNG"
            assert picture.size == (1200, 1200)
    lavender = Product.objects.get(upc="MGC-100-LAV").images.get()
    with Image.open(lavender.original.path) as picture:
        colours = {colour for _count, colour in picture.convert("RGB").getcolors(1_000_000)}
    assert (0x8E, 0x7C, 0xC3) in colours


def test_fragrance_copy_is_the_guides_own_words():
    guide = (Path(settings.BASE_DIR) / "fixtures" / "ql-guide.md").read_text(encoding="utf-8")
    data = json.loads((Path(settings.BASE_DIR) / "fixtures" / "catalogue.json").read_text("utf-8"))
    paragraphs = set(guide.split("\n\n"))
    product = data["products"][0]
    for text in product["description"] + [
        p for child in product["children"] for p in child["description"]
    ]:
        assert text in paragraphs


# The owner's documents shipped in fixtures/: where the owner keeps each, and the
# SHA-256 of the version copied.
OWNER_COPIES = {
    "ql-guide.md": (
        "content/ql-guide.md",
        "ad8de1cf070738d49a0bc417a06eab5695b80d19f09566fee219797edac91eb0",
    ),
    "STORE.md": ("STORE.md", "229bd79cf2974aa70b6366f638227f281543944408877ad7c1cd3fbf4fd07430"),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", OWNER_COPIES)
def test_the_shipped_copies_are_the_owners_documents(name):
    original, digest = OWNER_COPIES[name]

    assert sha256(Path(settings.BASE_DIR) / "fixtures" / name) == digest
    # Beside the owner's folder (the shop's own machines), the original has not
    # moved on since it was copied.
    shared = Path(settings.BASE_DIR).parent / "shared" / original
    if shared.exists():
        assert sha256(shared) == digest


def test_running_it_twice_changes_nothing(media):
    call_command("load_demo_store", verbosity=0)
    before = snapshot()

    call_command("load_demo_store", verbosity=0)

    assert snapshot() == before


def test_it_keeps_stock_that_changed_since(media):
    call_command("load_demo_store", verbosity=0)
    record = StockRecord.objects.get(partner_sku="MGC-100-LAV")
    stock_adjust(stockrecord=record, quantity=3 - record.num_in_stock, reason="damaged")

    call_command("load_demo_store", verbosity=0)

    assert StockRecord.objects.get(partner_sku="MGC-100-LAV").num_in_stock == 3


def test_it_redraws_an_image_whose_file_went_missing(media):
    call_command("load_demo_store", verbosity=0)
    image = Product.objects.get(upc="MGC-100-ROS").images.get()
    Path(image.original.path).unlink()

    call_command("load_demo_store", verbosity=0)

    image = Product.objects.get(upc="MGC-100-ROS").images.get()
    assert Path(image.original.path).exists()


def test_it_prints_the_demo_staff_login_and_the_login_works(media, client, capsys):
    call_command("load_demo_store")

    out = capsys.readouterr().out
    match = re.search(r"Staff login: (\S+) / (\S+)", out)
    assert match
    assert client.login(username=match.group(1), password=match.group(2))
    assert client.get("/dashboard/").status_code == 200


def test_no_staff_login_without_a_password(media, settings):
    from django.contrib.auth import get_user_model

    settings.SHOP_DEMO_STAFF_PASSWORD = ""

    call_command("load_demo_store", verbosity=0)

    assert not get_user_model().objects.filter(is_staff=True).exists()


# STORE.md, "Ingredients (INCI), per variant, in label order".
BASE_BEFORE = (
    "Aqua, Magnesium Chloride, Butyrospermum Parkii Butter, Theobroma Cacao Seed Butter, "
    "Olea Europaea Fruit Oil, Cetearyl Alcohol, Argania Spinosa Kernel Oil, Glycerin, "
    "Ceteareth-20, Calendula Officinalis Flower Extract"
)
BASE_AFTER = "Benzyl Alcohol, Tocopherol, Salicylic Acid, Sorbic Acid"
INCI = {
    "MGC-100-LAV": (
        "Lavandula Angustifolia Oil",
        "Coumarin*, Geraniol*, Limonene*, Linalool*, Linalyl Acetate*",
    ),
    "MGC-100-ROS": (
        "Rosa Damascena Flower Oil",
        "Citral*, Citronellol*, Eugenol*, Farnesol*, Geraniol*, Linalool*",
    ),
    "MGC-100-CLS": (
        "Salvia Sclarea Oil",
        "Geraniol*, Limonene*, Linalool*, Linalyl Acetate*, Sclareol*",
    ),
    "MGC-100-JAS": (
        "Jasminum Grandiflorum Flower Extract",
        "Benzyl Benzoate*, Eugenol*, Farnesol*, Linalool*",
    ),
    "MGC-100-CYF": (
        "Cupressus Sempervirens Oil, Abies Sibirica Oil",
        "Camphor*, Limonene*, Pinene*",
    ),
}


def demo_labels():
    from catalogue.ingredients import labels_for

    children = Product.objects.filter(upc__in=INCI)
    return {p.upc: label for p in children for label in [labels_for([p])[p.pk]]}


def test_every_fragrance_label_is_store_mds(media):
    call_command("load_demo_store", verbosity=0)

    labels = demo_labels()

    assert {upc: label.inci_line for upc, label in labels.items()} == {
        upc: f"{BASE_BEFORE}, {oils}, {BASE_AFTER}, {allergens}"
        for upc, (oils, allergens) in INCI.items()
    }
    magnesium = labels["MGC-100-ROS"].lines[1]
    assert magnesium.common_name == "Magnesium chloride (25%)"


def test_the_rose_label_reads_as_store_md_gives_it(media):
    store = Path(settings.BASE_DIR) / "fixtures" / "STORE.md"
    match = re.search(r"full label of the Rose variant reads: (.*?) — with", store.read_text())
    call_command("load_demo_store", verbosity=0)

    assert demo_labels()["MGC-100-ROS"].inci_line == match.group(1).replace("\\*", "*")


def test_the_demo_labels_pass_the_label_check(media, capsys):
    call_command("load_demo_store", verbosity=0)

    call_command("check_labels")

    assert "5 labels checked: no problem." in capsys.readouterr().out


def test_ingredient_reasons_are_the_guides_own_words():
    guide = (Path(settings.BASE_DIR) / "fixtures" / "ql-guide.md").read_text(encoding="utf-8")
    data = json.loads(
        (Path(settings.BASE_DIR) / "fixtures" / "ingredients.json").read_text("utf-8")
    )

    reasons = [spec["reason"] for spec in data["ingredients"] if spec["reason"]]

    assert len(reasons) == len(data["ingredients"]) - 1  # water: the guide says nothing
    for reason in reasons:
        assert reason in guide

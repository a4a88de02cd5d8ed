"""CSV export of stock and movements, and the stocktake import: preview, then all or nothing."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from shop.stock.services import stock_adjust, stock_allocate
from tests.factories import create_cream

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

STOCKTAKE = reverse("stock-dashboard:stocktake")
CONFIRM = reverse("stock-dashboard:stocktake-confirm")


@pytest.fixture
def cream(media):
    return create_cream((("Lavender", 40), ("Rose", 5), ("Jasmine", 0)), images=False)


def record(sku):
    return StockRecord.objects.get(partner_sku=sku)


def levels():
    return {r.partner_sku: (r.num_in_stock, r.movements.count()) for r in StockRecord.objects.all()}


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def upload(client, content: bytes, name="count.csv"):
    return client.post(STOCKTAKE, {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_export_current_stock(admin_client, cream):
    stock_allocate(stockrecord=record("SKU-ROSE"), quantity=2)

    rows = read_csv(admin_client.get(reverse("stock-dashboard:stock-export")))

    assert [
        (r["sku"], r["fragrance"], r["in_stock"], r["allocated"], r["available"], r["status"])
        for r in rows
    ] == [
        ("SKU-JASMINE", "Jasmine", "0", "0", "0", "sold-out"),
        ("SKU-LAVENDER", "Lavender", "40", "0", "40", "ok"),
        ("SKU-ROSE", "Rose", "5", "2", "3", "low"),
    ]


@pytest.mark.parametrize("note", ["=HYPERLINK(1)", "＝HYPERLINK(1)", "＠SUM(1)", "\t=1"])
def test_export_movements_and_neutralise_formulas(admin_client, cream, admin_user, note):
    stock_adjust(
        stockrecord=record("SKU-ROSE"),
        quantity=-1,
        reason="damaged",
        note=note,
        user=admin_user,
    )

    rows = read_csv(admin_client.get(reverse("stock-dashboard:movement-export")))

    assert [(r["sku"], r["quantity"], r["reason"]) for r in rows] == [
        ("SKU-LAVENDER", "40", "received"),
        ("SKU-ROSE", "5", "received"),
        ("SKU-ROSE", "-1", "damaged"),
    ]
    assert rows[-1]["note"] == "'" + note
    assert rows[-1]["user"] == admin_user.email


def test_stocktake_preview_then_confirm_applies_every_difference(admin_client, cream, admin_user):
    response = upload(admin_client, b"sku,counted\nSKU-LAVENDER,38\nSKU-ROSE,5\nSKU-JASMINE,12\n")

    html = response.content.decode()
    assert "-2" in html
    assert "+12" in html
    assert "Apply 2 stocktake corrections" in html
    assert levels() == {"SKU-LAVENDER": (40, 1), "SKU-ROSE": (5, 1), "SKU-JASMINE": (0, 0)}

    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    admin_client.post(CONFIRM, {"token": token})

    assert levels() == {"SKU-LAVENDER": (38, 2), "SKU-ROSE": (5, 1), "SKU-JASMINE": (12, 1)}
    correction = record("SKU-LAVENDER").movements.first()
    assert (correction.reason, correction.quantity) == ("stocktake", -2)
    assert correction.user == admin_user


@pytest.mark.parametrize(
    ("content", "errors"),
    [
        (b"", ["The file is empty."]),
        (b"sku,quantity\nSKU-ROSE,3\n", ["The first line must be the header"]),
        (b"sku,counted\n", ["a header but no counts"]),
        (b"\xff\xfe\x00s", ["not a CSV saved as UTF-8"]),
        (b"sku,counted\nSKU-NOPE,3\n", ["Unknown SKU"]),
        (b"sku,counted\nSKU-ROSE,abc\n", ["is not a whole number"]),
        (b"sku,counted\nSKU-ROSE,2.5\n", ["is not a whole number"]),
        (b"sku,counted\nSKU-ROSE,-3\n", ["cannot be negative"]),
        (b"sku,counted\nSKU-ROSE,99999999999\n", ["typing slip"]),
        (b"sku,counted\nSKU-ROSE,3\nSKU-ROSE,4\n", ["already on line 2"]),
        (b"sku,counted\nSKU-ROSE\n", ["Expected 2 columns"]),
        (b"sku,counted\nSKU-LAVENDER,1\n", ["3 are allocated to orders"]),
        (
            b"sku,counted\nSKU-LAVENDER,30\nSKU-NOPE,1\nSKU-ROSE,x\n",
            ["Unknown SKU", "is not a whole number"],
        ),
    ],
)
def test_bad_stocktakes_say_what_is_wrong_and_offer_no_confirm(
    admin_client, cream, content, errors
):
    stock_allocate(stockrecord=record("SKU-LAVENDER"), quantity=3)
    before = levels()

    html = upload(admin_client, content).content.decode()

    for error in errors:
        assert error in html
    assert 'name="token"' not in html
    assert levels() == before


def test_a_file_over_2_mb_is_refused_unread(admin_client, cream):
    before = levels()
    content = b"sku,counted\n" + b"SKU-ROSE,1\n" * (2 * 1024 * 1024 // 11 + 1)

    html = upload(admin_client, content).content.decode()

    assert "larger than 2 MB" in html
    assert levels() == before


def test_a_tampered_confirm_changes_nothing(admin_client, cream):
    html = upload(admin_client, b"sku,counted\nSKU-LAVENDER,38\n").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    before = levels()

    for forged in (token[:-2] + "xx", "", "[[1, 5]]"):
        response = admin_client.post(CONFIRM, {"token": forged}, follow=True)
        assert "could not be read" in response.content.decode()

    assert levels() == before


def test_confirm_is_all_or_nothing_when_stock_moved_since_the_preview(admin_client, cream):
    html = upload(admin_client, b"sku,counted\nSKU-LAVENDER,38\nSKU-ROSE,1\n").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    stock_allocate(stockrecord=record("SKU-ROSE"), quantity=4)  # an order came in meanwhile
    before = levels()

    response = admin_client.post(CONFIRM, {"token": token}, follow=True)

    assert "Nothing was changed" in response.content.decode()
    assert levels() == before


def test_the_stock_page_links_the_exports_and_the_stocktake(admin_client, cream):
    html = admin_client.get(reverse("stock-dashboard:stock-list")).content.decode()

    for name in ("stock-export", "movement-export", "stocktake"):
        assert reverse(f"stock-dashboard:{name}") in html


def test_a_file_holding_only_a_byte_order_mark_is_empty(admin_client, cream):
    before = levels()

    response = upload(admin_client, b"\xef\xbb\xbf")

    assert response.status_code == 200
    assert "The file is empty." in response.content.decode()
    assert levels() == before


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_a_file_of_more_lines_than_the_limit_is_refused_before_parsing(
    admin_client, cream, settings, newline
):
    settings.SHOP_STOCKTAKE_MAX_ROWS = 50
    before = levels()
    lines = [b"sku,counted"] + [b"SKU-ROSE,1"] * 51

    html = upload(admin_client, newline.join(lines) + newline).content.decode()

    assert "more than 50 lines of counts" in html
    assert 'name="token"' not in html
    assert "SKU-ROSE" not in html.split("more than 50 lines")[1]  # no preview table
    assert levels() == before


def test_a_file_at_the_limit_is_previewed(admin_client, cream, settings):
    settings.SHOP_STOCKTAKE_MAX_ROWS = 3
    html = upload(
        admin_client, b"sku,counted\nSKU-LAVENDER,38\nSKU-ROSE,5\nSKU-JASMINE,12\n"
    ).content.decode()

    assert "Apply 2 stocktake corrections" in html


def test_the_default_row_limit_is_5000(admin_client, cream):
    many = b"sku,counted\n" + b"SKU-ROSE,1\n" * 5001

    html = upload(admin_client, many).content.decode()

    assert "more than 5,000 lines of counts" in html


def confirm_token(client, content: bytes) -> str:
    html = upload(client, content).content.decode()
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_a_confirmed_stocktake_cannot_be_applied_twice(admin_client, cream):
    token = confirm_token(admin_client, b"sku,counted\nSKU-LAVENDER,38\n")
    admin_client.post(CONFIRM, {"token": token})
    after_first = levels()
    assert after_first["SKU-LAVENDER"] == (38, 2)

    response = admin_client.post(CONFIRM, {"token": token}, follow=True)

    assert "has changed since this stocktake was previewed" in response.content.decode()
    assert levels() == after_first


def test_a_receipt_after_the_preview_refuses_the_whole_stocktake(admin_client, cream, admin_user):
    token = confirm_token(admin_client, b"sku,counted\nSKU-LAVENDER,38\nSKU-ROSE,1\n")
    stock_adjust(stockrecord=record("SKU-ROSE"), quantity=10, reason="received", user=admin_user)
    before = levels()

    response = admin_client.post(CONFIRM, {"token": token}, follow=True)

    html = response.content.decode()
    assert "Nothing was changed" in html
    assert "SKU-ROSE has changed since" in html
    assert levels() == before  # Lavender untouched too: the receipt of Rose is not undone


def test_a_first_movement_after_the_preview_refuses_the_stocktake(admin_client, cream, admin_user):
    token = confirm_token(admin_client, b"sku,counted\nSKU-JASMINE,4\n")  # no movement yet
    stock_adjust(stockrecord=record("SKU-JASMINE"), quantity=3, reason="received", user=admin_user)
    before = levels()

    response = admin_client.post(CONFIRM, {"token": token}, follow=True)

    assert "SKU-JASMINE has changed since" in response.content.decode()
    assert levels() == before


def test_a_token_from_before_the_last_movement_check_is_refused(admin_client, cream):
    from django.core import signing

    from shop.stock.views import STOCKTAKE_SALT

    old = signing.dumps([[record("SKU-LAVENDER").pk, 38]], salt=STOCKTAKE_SALT)
    before = levels()

    response = admin_client.post(CONFIRM, {"token": old}, follow=True)

    assert "could not be read" in response.content.decode()
    assert levels() == before

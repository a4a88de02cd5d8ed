"""Malformed input over every form: a clear answer, never a 5xx, nothing changed.

Each form is posted with one field at a time replaced by each of BAD values
(the other fields valid), plus malformed uploads, formsets and queries; after
each form's batch no table has changed but the ones that record the attempt.
"""

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.checkout.helpers import ADDRESS, add_to_basket, start_guest_checkout
from tests.factories import add_formula, create_cream, ingredient
from tests.shop.test_no_writes_on_get import table_states

pytestmark = pytest.mark.django_db

BAD = [
    "",
    " ",
    "-1",
    "0",
    "abc",
    "1.5",
    "1e9",
    "99999999999999999999999",
    "NaN",
    "-0",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 5000,
    "é" * 300,
    "😀",
    "\r\n",
    "../../etc/passwd",
    '=HYPERLINK("http://evil")',
    "%00",
    "[]",
]

# Written by any attempt, by design: the session, the throttle's records.
RECORDS = {"django_session", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"}

addresses = (f"10.{a}.{b}.1" for a, b in itertools.product(range(1, 250), range(1, 250)))


def post(client, url, data, **extra):
    # A new client address each time: the throttle must not hide a 500 behind a 429.
    response = client.post(url, data, REMOTE_ADDR=next(addresses), **extra)
    return response


def variants(valid):
    """The valid form data with one field at a time replaced by each bad value."""
    for field, value in itertools.product(valid, BAD):
        yield {**valid, field: value}
    yield {}
    yield {field: [value, "\x00"] for field, value in valid.items()}  # every field twice


@pytest.fixture
def shop(media, django_user_model):
    cream = add_formula(create_cream((("Rose", 4), ("Jasmine", 0)), images=False))
    rose = cream.children.get(title__endswith="Rose")
    jasmine = cream.children.get(title__endswith="Jasmine")
    staff = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    django_user_model.objects.create_user("ann", "ann@example.com", "a-good-password-1")
    return {"cream": cream, "rose": rose, "jasmine": jasmine, "staff": staff}


def check(results, before, allowed=RECORDS):
    errors = sorted({(what, status) for what, status in results if status >= 500})
    assert errors == []
    after = table_states()
    changed = sorted(t for t in after if after[t] != before[t] and t not in allowed)
    assert changed == []
    return len(results)


def test_malformed_requests_get_an_answer_and_change_nothing(shop):
    rose, jasmine = shop["rose"], shop["jasmine"]
    shopper = Client(raise_request_exception=False)
    add_to_basket(shopper, rose)
    start_guest_checkout(shopper)
    staff = Client(raise_request_exception=False)
    staff.force_login(shop["staff"])
    record = rose.stockrecords.get()
    aqua = ingredient("Aqua")
    total = 0

    # Storefront: basket, voucher, checkout steps, search, stock alert, sign-in, registration.
    before = table_states()
    results = []
    add = reverse("basket:add", kwargs={"pk": rose.pk})
    for data in variants({"quantity": "1"}):
        results.append(("basket:add", post(shopper, add, data).status_code))
    line = shopper.get(reverse("basket:summary")).context["formset"].forms[0].instance
    formset = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(line.pk),
        "form-0-quantity": str(line.quantity),
    }
    for data in variants(formset):
        results.append(("basket", post(shopper, reverse("basket:summary"), data).status_code))
    for data in variants({"code": "NOPE"}):
        results.append(("voucher", post(shopper, reverse("basket:vouchers-add"), data).status_code))
    for data in variants(ADDRESS):
        url = reverse("checkout:shipping-address")
        results.append(("address", post(shopper, url, data).status_code))
    for data in variants({"method_code": "uk-standard"}):
        url = reverse("checkout:shipping-method")
        results.append(("delivery", post(shopper, url, data).status_code))
    for data in variants({"action": "place_order", "fingerprint": "x"}):
        url = reverse("checkout:preview")
        results.append(("place order", post(shopper, url, data).status_code))
    for value in BAD:
        response = shopper.get(reverse("search:search"), {"q": value, "page": value})
        results.append(("search", response.status_code))
    alert = reverse("customer:alert-create", kwargs={"pk": jasmine.pk})
    for data in variants({"email": "shopper@example.com"}):
        if data.get("email") == "shopper@example.com":
            continue  # the one valid alert would be a real change
        results.append(("stock alert", post(Client(), alert, data).status_code))
    total += check(results, before, RECORDS | {"basket_basket"})

    before = table_states()
    results = []
    for data in variants({"username": "ann@example.com", "options": "existing", "password": "x"}):
        guest = Client(raise_request_exception=False)
        add_to_basket(guest, rose)
        results.append(("gateway", post(guest, reverse("checkout:index"), data).status_code))
    login = {"login-username": "ann@example.com", "login-password": "wrong", "login_submit": "1"}
    for data in variants(login):
        client = Client(raise_request_exception=False)
        results.append(("login", post(client, reverse("customer:login"), data).status_code))
    registration = {
        "email": "ann@example.com",
        "password1": "x",
        "password2": "y",
    }
    for data in variants(registration):
        client = Client(raise_request_exception=False)
        results.append(("register", post(client, reverse("customer:register"), data).status_code))
    # The registration half of "Sign in or register" (the same form, prefixed).
    on_login_page = {f"registration-{field}": value for field, value in registration.items()}
    for data in variants({**on_login_page, "registration_submit": "1"}):
        client = Client(raise_request_exception=False)
        results.append(("register", post(client, reverse("customer:login"), data).status_code))
    # The e-mailed link's page, with tokens that are none.
    for value in BAD:
        if value.strip() and "/" not in value:
            url = reverse("customer:register-confirm", kwargs={"token": value})
            results.append(("register confirm", post(Client(), url, {}).status_code))
    total += check(results, before, RECORDS | {"basket_basket", "basket_line"})

    # Dashboard: stock adjust, stocktake, ingredient editing. Some variants are
    # valid (a quantity of -1, a new name) and save, with a redirect; a form
    # shown again with its errors must have changed nothing.
    results = []
    refused_but_changed = []

    def staff_post(url, data):
        before = table_states()
        response = post(staff, url, data)
        if response.status_code != 302:
            after = table_states()
            changed = [t for t in after if after[t] != before[t] and t not in RECORDS]
            if changed:
                refused_but_changed.append((url, data, changed))
        return response

    adjust = reverse("stock-dashboard:stock-detail", kwargs={"pk": record.pk})
    for data in variants({"quantity": "0", "reason": "received", "note": ""}):
        if data.get("quantity") == "0" or data.get("reason") == "":
            results.append(("adjust", staff_post(adjust, data).status_code))
    for data in variants({"quantity": "abc", "reason": "received", "note": "x"}):
        results.append(("adjust", staff_post(adjust, data).status_code))
    uploads = [
        b"",
        # (A byte-order mark alone is issue 14's item 7, fixed on its own branch.)
        b"\xef\xbb\xbf\n",
        b"sku,counted\n",
        b"sku;counted\nSKU-ROSE;4\n",
        b"\xff\xfe\x00\x00",
        b"sku,counted\n" + record.partner_sku.encode() + b",-5\n",
        b"sku,counted\n" + record.partner_sku.encode() + b",abc\n",
        b"sku,counted\n" + record.partner_sku.encode() + b",1e99\n",
        b"sku,counted\nNOPE,1\n",
        b"sku,counted\n" + record.partner_sku.encode() + b",1,extra\n",
        b"\x00\x00\x00",
        b'sku,counted\n"unterminated,1\n',
        b"counted,sku\n4," + record.partner_sku.encode() + b"\n",
        b"=cmd|' /C calc'!A0,1\n",
    ]
    stocktake = reverse("stock-dashboard:stocktake")
    for content in uploads:
        upload = SimpleUploadedFile("count.csv", content, content_type="text/csv")
        results.append(("stocktake", staff_post(stocktake, {"file": upload}).status_code))
    for value in BAD:
        url = reverse("stock-dashboard:stocktake-confirm")
        results.append(("stocktake confirm", staff_post(url, {"token": value}).status_code))
    ingredient_form = {
        "inci_name": "Aqua",
        "slug": "aqua",
        "common_name": "Water",
        "function": "Solvent",
        "reason": "Dissolves",
    }
    for data in variants(ingredient_form):
        url = reverse("ingredient-dashboard:ingredient-create")
        results.append(("ingredient create", staff_post(url, data).status_code))
    update = reverse("ingredient-dashboard:ingredient-update", kwargs={"pk": aqua.pk})
    for data in variants({**ingredient_form, "slug": "the aqua"}):
        results.append(("ingredient update", staff_post(update, data).status_code))
    lines = reverse("ingredient-dashboard:label-lines", kwargs={"pk": rose.pk})
    line_form = {
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-ingredient": "Nothing Such",
        "lines-0-section": "fragrance",
        "lines-0-position": "1",
    }
    for data in variants(line_form):
        results.append(("lines", staff_post(lines, data).status_code))
    assert sorted({(what, status) for what, status in results if status >= 500}) == []
    assert refused_but_changed == []
    total += len(results)

    assert total >= 500

"""Least privilege: our dashboard pages write only for staff holding the
permission for that write; bare staff status is not enough."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from shop.stock.models import StockMovement
from tests.factories import add_formula, create_cream, ingredient, signed_in_client
from tests.shop.test_no_writes_on_get import table_states

pytestmark = pytest.mark.django_db

OUR_NAMESPACES = ("stock-dashboard", "ingredient-dashboard", "signin-dashboard", "mail-dashboard")
# Each staff member's own two-factor device: self-service, no permission needed.
SELF_SERVICE = {"signin-dashboard:two-factor", "signin-dashboard:two-factor-setup"}
# Pages with no form at all (exports, downloads).
READ_ONLY = {
    "stock-dashboard:stock-export",
    "stock-dashboard:movement-export",
    "ingredient-dashboard:label-text",
    "ingredient-dashboard:ingredient-list",
    "ingredient-dashboard:label-list",
    "signin-dashboard:lockout-list",
    "mail-dashboard:email-list",
    "mail-dashboard:email-detail",
}

INGREDIENT = {"inci_name": "Hacked", "common_name": "x", "function": "x", "reason": "x"}


def our_url_names():
    names = set()
    for resolver in get_resolver().url_patterns:
        if isinstance(resolver, URLResolver) and resolver.namespace in OUR_NAMESPACES:
            names |= {f"{resolver.namespace}:{p.name}" for p in resolver.url_patterns}
    return names


@pytest.fixture
def writes(media, client):
    """Every write of our apps, as a valid request (URL, data)."""
    cream = add_formula(create_cream((("Rose", 4),), images=False))
    child = cream.children.get()
    record = child.stockrecords.get()
    aqua = ingredient("Aqua")
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(
        username="ann@example.com", ip_address="10.0.0.1", user_agent="", failures_since_start=10
    )
    stocktake = SimpleUploadedFile("count.csv", f"sku,counted\n{record.partner_sku},9\n".encode())
    from django.core import signing

    from shop.stock.views import STOCKTAKE_SALT

    token = signing.dumps([[record.pk, 9]], salt=STOCKTAKE_SALT)
    from shop.mail.models import OutgoingEmail

    failed_email = OutgoingEmail.objects.create(
        subject="Hi", from_email="a@b.c", to=["d@e.f"], status=OutgoingEmail.Status.FAILED
    )
    return {
        "stock-dashboard:stock-detail": (
            reverse("stock-dashboard:stock-detail", kwargs={"pk": record.pk}),
            {"quantity": "5", "reason": "received"},
        ),
        "stock-dashboard:stocktake": (reverse("stock-dashboard:stocktake"), {"file": stocktake}),
        "stock-dashboard:stocktake-confirm": (
            reverse("stock-dashboard:stocktake-confirm"),
            {"token": token},
        ),
        "stock-dashboard:stock-list": (reverse("stock-dashboard:stock-list"), {}),
        "ingredient-dashboard:ingredient-create": (
            reverse("ingredient-dashboard:ingredient-create"),
            {
                "inci_name": "Hacked",
                "slug": "hacked",
                "common_name": "x",
                "function": "x",
                "reason": "x",
            },
        ),
        "ingredient-dashboard:ingredient-update": (
            reverse("ingredient-dashboard:ingredient-update", kwargs={"pk": aqua.pk}),
            {
                "inci_name": "Hacked",
                "slug": "aqua",
                "common_name": "x",
                "function": "x",
                "reason": "x",
            },
        ),
        "ingredient-dashboard:label-lines": (
            reverse("ingredient-dashboard:label-lines", kwargs={"pk": child.pk}),
            {
                "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "0",
                "lines-0-ingredient": "Rosa Damascena Flower Oil",
                "lines-0-section": "fragrance",
                "lines-0-position": "1",
            },
        ),
        "mail-dashboard:email-resend": (
            reverse("mail-dashboard:email-resend", kwargs={"pk": failed_email.pk}),
            {},
        ),
        "signin-dashboard:lockout-unlock": (
            reverse("signin-dashboard:lockout-unlock"),
            {"attempt": attempt.pk},
        ),
    }


def test_every_write_of_our_apps_is_listed(writes):
    assert our_url_names() - SELF_SERVICE - READ_ONLY <= set(writes)


def test_staff_without_permissions_are_refused_every_write(writes):
    client = signed_in_client(is_staff=True)
    before = table_states()

    refused = {name: client.post(url, data).status_code for name, (url, data) in writes.items()}

    assert refused == dict.fromkeys(writes, 403)
    assert table_states() == before


def test_stock_managers_change_stock(writes):
    client = signed_in_client(group="Stock manager")
    url, data = writes["stock-dashboard:stock-detail"]

    assert client.post(url, data).status_code == 302
    assert StockMovement.objects.filter(quantity=5).exists()
    url, data = writes["ingredient-dashboard:ingredient-create"]
    assert client.post(url, data).status_code in (302, 403)


@pytest.mark.parametrize(
    ("name", "permission"),
    [
        ("ingredient-dashboard:ingredient-create", "catalogue.add_ingredient"),
        ("ingredient-dashboard:ingredient-update", "catalogue.change_ingredient"),
        ("ingredient-dashboard:label-lines", "catalogue.change_product"),
    ],
)
def test_the_catalogue_permission_lets_staff_edit_ingredients(writes, name, permission):
    client = signed_in_client(is_staff=True, permissions=[permission])
    url, data = writes[name]

    response = client.post(url, data)

    assert response.status_code == 302

"""Who reaches which dashboard page: every dashboard URL, as each kind of user."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from oscar.test import factories as oscar

from tests.checkout.helpers import guest_checkout
from tests.factories import add_formula, create_cream, ingredient

Order = get_model("order", "Order")
CommunicationEventType = get_model("communication", "CommunicationEventType")

pytestmark = pytest.mark.django_db

PUBLIC = {"dashboard:login", "dashboard:logout"}
DASHBOARD_NAMESPACES = ("dashboard", "ingredient-dashboard", "stock-dashboard")


def dashboard_url_names():
    """Every named URL under the dashboard namespaces, with its keyword arguments."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if pattern.namespace and namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                yield from walk(pattern.url_patterns, inner)
            elif namespace in DASHBOARD_NAMESPACES and pattern.name:
                yield f"{namespace}:{pattern.name}", sorted(pattern.pattern.regex.groupindex)

    return sorted({(name, tuple(kwargs)) for name, kwargs in walk(get_resolver().url_patterns)})


@pytest.fixture
def world(media):
    """A real object behind every kind of dashboard URL argument."""
    cream = add_formula(create_cream((("Clary Sage", 4),), images=False))
    child = cream.children.get()
    record = child.stockrecords.get()
    guest_checkout(Client(), child, quantity=1)
    order = Order.objects.get()
    note = order.notes.create(message="Called the customer")
    customer = oscar.UserFactory(email="customer@example.com")
    # A partner's user, for the pages about one (linking is a POST only).
    record.partner.users.add(customer)
    method = oscar.create_shipping_weight_based()
    objects = {
        "ingredient-dashboard:ingredient": {"pk": ingredient("Aqua").pk},
        "ingredient-dashboard:label": {"pk": child.pk},
        "stock-dashboard:stock": {"pk": record.pk},
        "dashboard:catalogue-product": {
            "pk": cream.pk,
            "parent_pk": cream.pk,
            "product_class_slug": cream.product_class.slug,
        },
        "dashboard:catalogue-category": {
            "pk": create_from_breadcrumbs("Body creams").pk,
            "parent": create_from_breadcrumbs("Balms").pk,
        },
        "dashboard:catalogue-class": {"pk": cream.product_class.pk},
        "dashboard:catalogue-attribute-option-group": {
            "pk": oscar.AttributeOptionGroupFactory().pk
        },
        "dashboard:catalogue-option": {"pk": oscar.OptionFactory().pk},
        "dashboard:order": {
            "number": order.number,
            "note_id": note.pk,
            "line_id": order.lines.get().pk,
        },
        "dashboard:user-alert": {"pk": oscar.ProductAlertFactory(product=child, user=customer).pk},
        "dashboard:user": {"pk": customer.pk},
        "dashboard:page": {
            "pk": _flatpage().pk,
        },
        "dashboard:partner": {
            "pk": record.partner_id,
            "partner_pk": record.partner_id,
            "user_pk": customer.pk,
        },
        "dashboard:offer": {"pk": oscar.create_offer(name="Walk offer").pk},
        "dashboard:range": {"pk": oscar.RangeFactory().pk},
        "dashboard:reviews": {"pk": oscar.ProductReviewFactory(product=child).pk},
        "dashboard:voucher-set": {"pk": oscar.VoucherSetFactory(count=1).pk},
        "dashboard:voucher": {"pk": oscar.create_voucher().pk},
        "dashboard:comms": {
            "slug": CommunicationEventType.objects.create(code="TEST_CODE", name="Test").code
        },
        "dashboard:shipping-method-band": {
            "method_pk": method.pk,
            "pk": oscar.create_shipping_weight_band(10, Decimal("1.00"), weight_based=method).pk,
        },
        "dashboard:shipping-method": {"pk": method.pk},
    }
    urls = []
    for name, kwarg_names in dashboard_url_names():
        if name in PUBLIC:
            continue
        if not kwarg_names:
            urls.append((name, reverse(name)))
            continue
        # The longest matching prefix names the object the URL is about.
        prefix = max((p for p in objects if name.startswith(p)), key=len)
        urls.append((name, reverse(name, kwargs={k: objects[prefix][k] for k in kwarg_names})))
    return urls


def _flatpage():
    page = FlatPage.objects.create(url="/about/", title="About", content="About us")
    page.sites.add(Site.objects.get_current())
    return page


def user_client(django_user_model, *, group=None, **flags):
    user = django_user_model.objects.create_user(
        f"{group or 'user'}-{len(flags)}",
        f"{len(flags)}-{group}@example.com".replace(" ", ""),
        "pw",
    )
    for flag, value in flags.items():
        setattr(user, flag, value)
    user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def is_login_redirect(response):
    return response.status_code == 302 and "/login/" in response["Location"]


def test_the_walk_covers_every_dashboard_page(world):
    names = {name for name, _url in world}
    assert len(names) > 90
    assert {"dashboard:index", "dashboard:order-list", "stock-dashboard:stock-list"} <= names


def test_anonymous_users_reach_no_dashboard_page(world):
    for name, url in world:
        response = Client().get(url)
        assert is_login_redirect(response), (name, url, response.status_code)


def test_customers_reach_no_dashboard_page(world, django_user_model):
    client = user_client(django_user_model)
    for name, url in world:
        response = client.get(url)
        assert response.status_code == 403 or is_login_redirect(response), (name, url)


def test_stock_managers_reach_the_stock_pages_only(world, django_user_model):
    client = user_client(django_user_model, group="Stock manager")
    for name, url in world:
        response = client.get(url)
        if name.startswith("stock-dashboard:"):
            assert response.status_code in (200, 405), (name, url, response.status_code)
        elif name == "dashboard:index":
            assert response.status_code == 302
            assert response.url == reverse("stock-dashboard:stock-list")
        else:
            assert response.status_code == 403 or is_login_redirect(response), (name, url)


def test_the_stock_manager_menu_shows_only_stock(db, django_user_model):
    client = user_client(django_user_model, group="Stock manager")
    html = client.get(reverse("stock-dashboard:stock-list")).content.decode()
    assert reverse("stock-dashboard:stock-list") in html
    assert reverse("dashboard:order-list") not in html
    assert reverse("dashboard:voucher-list") not in html


def test_full_staff_reach_every_dashboard_page(world, django_user_model):
    client = user_client(django_user_model, is_staff=True, is_superuser=True)
    refused = []
    for name, url in world:
        response = client.get(url)
        if response.status_code in (403, 404) or response.status_code >= 500:
            refused.append((name, url, response.status_code))
        elif is_login_redirect(response):
            refused.append((name, url, "login"))
    assert refused == []

"""No page changes data on GET: a link on another site, or a `?next=` after
signing in, must never act for a signed-in superuser.

The walk GETs every URL the resolver knows (Oscar's and the admin's included),
its parameters filled from real objects, and after each one compares every
table's row count and checksum with the state before.
"""

import hashlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from oscar.test import factories as oscar

from shop.returns.links import order_token
from tests.checkout.helpers import guest_checkout
from tests.factories import add_formula, create_cream, ingredient

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
CommunicationEventType = get_model("communication", "CommunicationEventType")
UserAddress = get_model("address", "UserAddress")
Email = get_model("communication", "Email")
Notification = get_model("communication", "Notification")
ProductAlert = get_model("customer", "ProductAlert")
WishList = get_model("wishlists", "WishList")
Article = get_model("blog", "Article")
OutgoingEmail = get_model("mail", "OutgoingEmail")

# Tables a GET may write by design, none of them shop state:
IGNORED_TABLES = {
    # the signed-in user's own session (flash messages, checkout progress)
    "django_session",
    # Oscar's counters of what was viewed and searched
    "analytics_productrecord",
    "analytics_userproductview",
    "analytics_usersearch",
    "analytics_userrecord",
}

# Opening a message marks it read, as a mail reader does.
MAY_WRITE = {"customer:notifications-detail": {"communication_notification"}}


def walk(patterns, prefix="", namespace=None):
    """Every URL pattern: (its name, the whole pattern text, the pattern)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
            yield name, prefix + str(pattern.pattern), pattern


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def fill(text, values):
    """The pattern text (route or regex parts) with each parameter replaced by its value."""
    # Regex groups may nest: (?P<slug>[\w-]+(/[\w-]+)*)
    while (start := text.find("(?P<")) != -1:
        name = text[start + 4 : text.index(">", start)]
        depth, end = 0, start
        for end in range(start, len(text)):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
        text = text[:start] + str(values[name]) + text[end + 1 :]
    text = ROUTE_PARAMETER.sub(lambda m: str(values[m["name"]]), text)
    return "/" + text.replace("^", "").replace("$", "").replace("\\", "")


def table_states():
    """Every table's row count and a checksum of its rows."""
    states = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in IGNORED_TABLES:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            states[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return states


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "root", "root@example.com", "pw", first_name="Root"
    )


@pytest.fixture
def world(media, superuser):
    """A real object behind every kind of URL parameter."""
    cream = add_formula(create_cream((("Clary Sage", 4), ("Rose", 3)), images=False))
    child = cream.children.first()
    record = child.stockrecords.get()
    guest_checkout(Client(), child, quantity=1)
    order = Order.objects.get()
    order.user = superuser
    order.save()
    note = order.notes.create(message="Called the customer")
    customer = oscar.UserFactory(email="customer@example.com")
    method = oscar.create_shipping_weight_based()
    address = oscar.UserAddressFactory(user=superuser)
    event_type = CommunicationEventType.objects.create(code="TEST_CODE", name="Test")
    email = Email.objects.create(user=superuser, subject="Hello", body_text="Hello")
    notification = Notification.objects.create(recipient=superuser, subject="Hello")
    alert = ProductAlert.objects.create(product=child, user=superuser)
    anonymous_alert = ProductAlert.objects.create(
        product=cream.children.last(), email="guest@example.com", key="k" * 32
    )
    wishlist = WishList.objects.create(owner=superuser, name="Mine")
    other_wishlist = WishList.objects.create(owner=superuser, name="Other")
    wish_line = wishlist.lines.create(product=child, title=child.title)
    category = create_from_breadcrumbs("Body creams")
    offer = oscar.create_offer(name="Walk offer")
    range_ = oscar.RangeFactory(is_public=True)
    voucher = oscar.create_voucher()
    page = FlatPage.objects.create(url="/about/", title="About", content="About us")
    page.sites.add(Site.objects.get_current())
    article = Article.objects.create(
        title="An article", slug="an-article", body="Text", position=1, status="published"
    )
    a_ingredient = ingredient("Aqua")
    TOTPDevice.objects.create(user=superuser, name="Phone", confirmed=True)
    by_prefix = {
        "": {
            "path": "nothing.png",
            "uidb64": urlsafe_base64_encode(force_bytes(superuser.pk)),
            "token": default_token_generator.make_token(superuser),
            "slug": article.slug,
        },
        "ingredients:": {"slug": a_ingredient.slug},
        "catalogue:detail": {"product_slug": child.slug, "pk": child.pk},
        "catalogue:category": {"category_slug": category.slug, "pk": category.pk},
        "catalogue:range": {"slug": range_.slug},
        "basket:": {"pk": child.pk},
        "basket:vouchers-remove": {"pk": voucher.pk},
        "checkout:": {"pk": address.pk},
        "customer:": {
            "pk": address.pk,
            "action": "default_for_shipping",
            "order_number": order.number,
            "hash": order.verification_hash(),
            "line_id": order.lines.get().pk,
            "email_id": email.pk,
            "key": wishlist.key,
            "to_key": other_wishlist.key,
            "product_pk": cream.children.last().pk,
            "line_pk": wish_line.pk,
        },
        "customer:notifications": {"pk": notification.pk},
        "customer:alert": {"pk": alert.pk, "key": anonymous_alert.key},
        "customer:alert-create": {"pk": cream.children.last().pk},
        "offer:": {"slug": offer.slug},
        "wishlists:": {"key": wishlist.key},
        "ingredient-dashboard:ingredient": {"pk": a_ingredient.pk},
        "ingredient-dashboard:label": {"pk": child.pk},
        "stock-dashboard:": {"pk": record.pk},
        "mail-dashboard:": {
            "pk": OutgoingEmail.objects.create(subject="Hi", from_email="a@b.c", to=["d@e.f"]).pk
        },
        "dashboard:catalogue-product": {
            "pk": cream.pk,
            "parent_pk": cream.pk,
            "product_class_slug": cream.product_class.slug,
        },
        "dashboard:catalogue-category": {
            "pk": category.pk,
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
        "dashboard:user-alert": {"pk": alert.pk},
        "dashboard:user": {"pk": customer.pk},
        "dashboard:page": {"pk": page.pk},
        "dashboard:partner": {
            "pk": record.partner_id,
            "partner_pk": record.partner_id,
            "user_pk": customer.pk,
        },
        "dashboard:offer": {"pk": offer.pk},
        "dashboard:range": {"pk": range_.pk},
        "dashboard:reviews": {"pk": oscar.ProductReviewFactory(product=child).pk},
        "dashboard:voucher-set": {"pk": oscar.VoucherSetFactory(count=1).pk},
        "dashboard:voucher": {"pk": voucher.pk},
        "dashboard:comms": {"slug": event_type.code},
        "dashboard:shipping-method-band": {
            "method_pk": method.pk,
            "pk": oscar.create_shipping_weight_band(10, 1, weight_based=method).pk,
        },
        "dashboard:shipping-method": {"pk": method.pk},
        "payment:": {"number": order.number},
        "returns:": {"number": order.number, "token": order_token(order)},
        "returns-dashboard:": {"pk": 1},
    }

    def values_for(name, text):
        if text.startswith("admin/"):
            return admin_values(text)
        values = {}
        for prefix in sorted(by_prefix, key=len):
            if name.startswith(prefix):
                values.update(by_prefix[prefix])
        return values

    urls = []
    for name, text, pattern in walk(get_resolver().url_patterns):
        url = fill(text, values_for(name, text))
        # A pattern shadowed by an earlier one (Oscar's home page under ours) is
        # never reached: the earlier one is walked.
        if resolve(url).func == pattern.callback:
            urls.append((name, url))
    return urls


def admin_values(text):
    """The admin's pages about one object: the first row of that model."""
    values = {"app_label": "catalogue", "url": "nothing/", "content_type_id": 1}
    parts = text.split("/")
    if len(parts) > 3 and "<" in text:
        try:
            model = apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            model = None
        row = model.objects.order_by("pk").first() if model else None
        values["object_id"] = values["id"] = row.pk if row else 1
        values["parent_id"] = values["pk"] = values["object_id"]
    return values


def test_the_walk_covers_every_url(world):
    names = {name for name, _url in world}
    assert len(world) > 500
    assert {
        "dashboard:partner-user-link",
        "customer:address-change-status",
        "customer:alerts-confirm",
        "admin:auth_user_change",
        "catalogue:detail",
    } <= names


def test_no_get_changes_any_table(world, superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    # The signed-in superuser's basket exists before the walk, as after any visit.
    client.get("/")
    before = table_states()
    changed, errors = [], []
    for name, url in world:
        response = client.get(url)
        # /readyz answers 503 by design while no task worker runs (as in this test).
        if response.status_code >= 500 and name != "readyz":
            errors.append((name, url, response.status_code))
        after = table_states()
        if after != before:
            tables = {t for t in after if after[t] != before.get(t)}
            if not tables <= MAY_WRITE.get(name, set()):
                changed.append((name, url, sorted(tables)))
            before = after
    assert changed == [], "\n".join(map(str, changed))
    assert errors == [], "\n".join(map(str, errors))

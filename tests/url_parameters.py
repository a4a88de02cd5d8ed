"""Every URL the resolver knows, and a real object behind every kind of URL parameter: for
the tests that walk every page (tests/shop/test_no_writes_on_get.py) or every dashboard
page (tests/stock/test_roles.py)."""

import re

from django.contrib.auth.tokens import default_token_generator
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.urls import URLPattern, URLResolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from oscar.test import factories as oscar

from shop.customer.services import email_change_request, signup_request
from shop.returns.links import order_token
from tests.checkout.helpers import placed_order
from tests.factories import add_formula, create_cream, ingredient

CommunicationEventType = get_model("communication", "CommunicationEventType")
Email = get_model("communication", "Email")
Notification = get_model("communication", "Notification")
ProductAlert = get_model("customer", "ProductAlert")
WishList = get_model("wishlists", "WishList")
Article = get_model("blog", "Article")
OutgoingEmail = get_model("mail", "OutgoingEmail")


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


def url_parameters(owner) -> dict[str, dict]:
    """Values for every URL parameter, by the prefix of the URL names they are for ("" for
    all): real objects, the customer's ones (order, addresses, wish lists…) `owner`'s."""
    cream = add_formula(create_cream((("Clary Sage", 4), ("Rose", 3)), images=False))
    child = cream.children.first()
    record = child.stockrecords.get()
    order = placed_order(child)
    order.user = owner
    order.save()
    note = order.notes.create(message="Called the customer")
    customer = oscar.UserFactory(email="customer@example.com")
    # A partner's user, for the pages about one (linking is a POST only).
    record.partner.users.add(customer)
    method = oscar.create_shipping_weight_based()
    address = oscar.UserAddressFactory(user=owner)
    event_type = CommunicationEventType.objects.create(code="TEST_CODE", name="Test")
    email = Email.objects.create(user=owner, subject="Hello", body_text="Hello")
    notification = Notification.objects.create(recipient=owner, subject="Hello")
    alert = ProductAlert.objects.create(product=child, user=owner)
    anonymous_alert = ProductAlert.objects.create(
        product=cream.children.last(), email="guest@example.com", key="k" * 32
    )
    wishlist = WishList.objects.create(owner=owner, name="Mine")
    other_wishlist = WishList.objects.create(owner=owner, name="Other")
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
    TOTPDevice.objects.create(user=owner, name="Phone", confirmed=True)
    # A valid sign-up link (its page asks; the account is made on its button's POST).
    signup_request(email="new@example.com", password="a-long-enough-password-9")
    signup_token = re.search(
        r"/register/confirm/([^/]+)/", OutgoingEmail.objects.get(event="SIGNUP_LINK").body
    )[1]
    # And a valid link to make a new address a customer's.
    email_change_request(user=customer, email="changed@example.com")
    change_token = re.search(
        r"/email/confirm/([^/]+)/", OutgoingEmail.objects.get(event="EMAIL_CHANGE_LINK").body
    )[1]
    return {
        "": {
            "path": "nothing.png",
            "uidb64": urlsafe_base64_encode(force_bytes(owner.pk)),
            "token": default_token_generator.make_token(owner),
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
        "customer:register-confirm": {"token": signup_token},
        "customer:email-change-confirm": {"token": change_token},
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


def parameters_for(by_prefix: dict[str, dict], name: str) -> dict:
    """The values for URL `name`: those of each prefix it starts with, the longest last."""
    values = {}
    for prefix in sorted(by_prefix, key=len):
        if name.startswith(prefix):
            values.update(by_prefix[prefix])
    return values

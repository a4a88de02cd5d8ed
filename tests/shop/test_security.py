"""Security headers on every page, fresh or from the page cache (shop/security.py)."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.urls import reverse
from oscar.core.loading import get_model

from tests.checkout.helpers import (
    ADDRESS,
    add_to_basket,
    choose_delivery,
    give_address,
    place_order,
    start_guest_checkout,
)
from tests.factories import create_cream, create_staff_html_pages, variant
from tests.shop.test_settings import PRODUCTION, manage

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def cream(media):
    return create_cream((("Lavender", 40), ("Rose", 5)), images=False)


def directives(response, header="Content-Security-Policy") -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in response[header].split(";") if part.strip())
    }


def test_the_storefront_policy_allows_only_the_shop_and_no_inline_code(client, cream):
    policy = directives(client.get("/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    # Nothing loosens scripts or styles: they fall back to default-src 'self'.
    assert "script-src" not in policy
    assert "style-src" not in policy


def test_the_form_action_hosts_are_a_setting():
    code = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY)"
    env = {**PRODUCTION, "SHOP_CSP_FORM_ACTION_EXTRA": "https://checkout.stripe.com"}

    result = manage("shell", "--no-imports", "-c", code, **env)

    assert result.returncode == 0, result.stderr
    assert "'form-action': [\"'self'\", 'https://checkout.stripe.com']" in result.stdout


def test_the_dashboard_policy_is_looser_only_for_inline_code(admin_client):
    for url in ["/dashboard/", reverse("dashboard:order-list"), "/dashboard/stock/"]:
        policy = directives(admin_client.get(url))
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]


def test_the_admin_keeps_the_storefront_policy(admin_client):
    policy = directives(admin_client.get("/admin/"))

    assert policy["default-src"] == ["'self'"]
    assert "script-src" not in policy
    assert "style-src" not in policy


def test_every_page_has_the_other_headers(client, cream):
    for url in ["/", "/basket/", "/checkout/", "/accounts/login/", "/blog/", "/nowhere/"]:
        response = client.get(url)
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in response, url


def test_a_stored_page_has_the_headers_of_a_fresh_one(client, cream, django_assert_max_num_queries):
    url = cream.get_absolute_url()
    fresh = client.get(url)
    assert caches["pages"]._cache  # stored (the page and its fragments)

    with django_assert_max_num_queries(1):  # the page cache's revisions
        stored = client.get(url)

    for header in ["Content-Security-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy"]:
        assert stored[header] == fresh[header]


def is_private(response) -> bool:
    parts = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= parts


def test_pages_with_personal_data_or_bank_details_are_private(client, cream, reference_data):
    rose = variant(cream, "Rose")
    pages = {"basket (empty)": client.get("/basket/")}
    add_to_basket(client, rose)
    pages["basket"] = client.get("/basket/")
    pages["gateway"] = client.get(reverse("checkout:index"))
    start_guest_checkout(client)
    pages["address"] = client.get(reverse("checkout:shipping-address"))
    give_address(client)
    pages["delivery"] = client.get(reverse("checkout:shipping-method"))
    choose_delivery(client)
    pages["preview"] = client.get(reverse("checkout:preview"))
    pages["place order"] = place_order(client)
    pages["thank-you"] = client.get(reverse("checkout:thank-you"))
    assert "Sort code" in pages["thank-you"].content.decode()

    for name, response in pages.items():
        assert is_private(response), name


def test_account_and_dashboard_pages_are_private(admin_client):
    for url in ["/accounts/", "/accounts/orders/", "/accounts/addresses/", "/dashboard/"]:
        assert is_private(admin_client.get(url)), url
    assert is_private(admin_client.get(reverse("dashboard:order-list")))


def test_public_pages_stay_cacheable(client, cream):
    assert not is_private(client.get("/"))
    assert not is_private(client.get(cream.get_absolute_url()))


def production_cookie_settings() -> dict:
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "OSCAR_BASKET_COOKIE_SECURE",
        "OSCAR_RECENTLY_VIEWED_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "LANGUAGE_COOKIE_HTTPONLY",
    ]
    # Oscar reads the recently-viewed flag once, into a class attribute.
    code = (
        "import json; from django.conf import settings; "
        "from oscar.core.loading import get_class; "
        "history = get_class('customer.history', 'CustomerHistoryManager'); "
        f"values = {{n: getattr(settings, n) for n in {names!r}}}; "
        "values['history cookie'] = history.cookie_kwargs['secure']; "
        "print(json.dumps(values))"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_in_https_mode_every_cookie_is_secure_and_http_only(client, cream, settings):
    production = production_cookie_settings()
    assert all(production.values()), production
    for name, value in production.items():
        if name.isupper():
            setattr(settings, name, value)
    gift = create_staff_html_pages()["stand-alone product"]
    rose = variant(cream, "Rose")

    cookies = {}
    for response in [
        client.get("/accounts/login/", secure=True),  # csrftoken
        client.get(gift, secure=True),  # Oscar's recently viewed
        add_to_basket(client, rose),  # Oscar's basket, messages
        start_guest_checkout(client),  # the session
    ]:
        cookies.update(response.cookies)
    # add_to_basket is not secure=True: the settings alone decide the flags.

    # Oscar's recently-viewed cookie is switched off: not strictly necessary (Cookies page).
    assert {"csrftoken", "oscar_open_basket", "messages", "sessionid"} <= set(cookies)
    for name, morsel in cookies.items():
        # Oscar's history cookie takes its flag at import (production: checked above).
        assert morsel["secure"] or name == "oscar_history", name
        assert morsel["httponly"], name


INLINE_CODE = re.compile(
    r"""<style\b|\sstyle=|\son[a-z]+=|<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>""",
    re.IGNORECASE,
)


def inline_code(response) -> list[str]:
    return INLINE_CODE.findall(response.content.decode())


def test_no_storefront_page_has_inline_script_or_style(client, cream, reference_data):
    """What the browser test checks in chromium, here for pages it does not visit:
    a signed-in customer's account pages, with an order, an address and an e-mail."""
    rose = variant(cream, "Rose")
    pages = create_staff_html_pages()
    customer = get_user_model().objects.create_user("ann", "ann@example.com", "a-long-password")
    client.force_login(customer)
    add_to_basket(client, rose)
    give_address(client)
    choose_delivery(client)
    place_order(client)
    order = Order.objects.get()
    client.post(
        reverse("customer:address-create"),
        {**ADDRESS, "phone_number": ""},
    )
    urls = [
        *pages.values(),
        "/",
        "/basket/",
        "/accounts/profile/",
        "/accounts/profile/edit/",
        "/accounts/change-password/",
        "/accounts/orders/",
        f"/accounts/orders/{order.number}/",
        "/accounts/addresses/",
        "/accounts/addresses/add/",
        "/accounts/emails/",
        "/accounts/alerts/",
        "/accounts/notifications/inbox/",
        reverse("checkout:thank-you"),
    ]
    email = get_model("communication", "Email").objects.create(
        user=customer,
        email=customer.email,
        subject="Your order",
        body_text="Dear O'Brien",
        body_html="<html><head><style>p {color: red}</style></head><p>Dear O'Brien</p></html>",
    )
    urls.append(f"/accounts/emails/{email.pk}/")
    urls += [f"/accounts/addresses/{address.pk}/" for address in customer.addresses.all()]
    assert len(urls) == 21

    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if inline_code(response):
            found[url] = inline_code(response)

    assert found == {}


@pytest.mark.parametrize(
    ("header", "meta", "address"),
    [
        ("", {"REMOTE_ADDR": "203.0.113.9"}, "203.0.113.9"),
        ("HTTP_X_REAL_IP", {"HTTP_X_REAL_IP": "203.0.113.9"}, "203.0.113.9"),
        # X-Forwarded-For: what the client sent first, the proxy's own entry last.
        (
            "HTTP_X_FORWARDED_FOR",
            {"HTTP_X_FORWARDED_FOR": "198.51.100.66, 203.0.113.9"},
            "203.0.113.9",
        ),
        ("HTTP_X_REAL_IP", {"HTTP_X_REAL_IP": "not an address"}, None),
        ("HTTP_X_REAL_IP", {}, None),
    ],
)
def test_the_client_address_is_the_one_the_proxy_saw(settings, header, meta, address):
    from django.test import RequestFactory

    from shop.security import client_address

    settings.SHOP_CLIENT_ADDRESS_HEADER = header
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)

    assert client_address(request) == address

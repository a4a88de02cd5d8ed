"""Who reaches which dashboard page: every dashboard URL, as each kind of user."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from tests.factories import signed_in_client
from tests.url_parameters import parameters_for, url_parameters, walk

pytestmark = pytest.mark.django_db

PUBLIC = {"dashboard:login", "dashboard:logout"}
DASHBOARD_NAMESPACES = ("dashboard", "ingredient-dashboard", "stock-dashboard")


def dashboard_url_names():
    """Every named URL under the dashboard namespaces, with its keyword arguments."""
    return sorted(
        {
            (name, tuple(sorted(pattern.pattern.regex.groupindex)))
            for name, _text, pattern in walk(get_resolver().url_patterns)
            if pattern.name and name.rpartition(":")[0] in DASHBOARD_NAMESPACES
        }
    )


@pytest.fixture
def world(media, django_user_model):
    """Every dashboard URL, each with a real object behind its arguments."""
    by_prefix = url_parameters(django_user_model.objects.create_user("owner", "o@example.com"))
    urls = []
    for name, kwarg_names in dashboard_url_names():
        if name in PUBLIC:
            continue
        values = parameters_for(by_prefix, name)
        urls.append((name, reverse(name, kwargs={k: values[k] for k in kwarg_names})))
    return urls


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


def test_customers_reach_no_dashboard_page(world):
    client = signed_in_client()
    for name, url in world:
        response = client.get(url)
        assert response.status_code == 403 or is_login_redirect(response), (name, url)


def test_stock_managers_reach_the_stock_pages_only(world):
    client = signed_in_client(group="Stock manager")
    for name, url in world:
        response = client.get(url)
        if name.startswith("stock-dashboard:"):
            assert response.status_code in (200, 405), (name, url, response.status_code)
        elif name == "dashboard:index":
            assert response.status_code == 302
            assert response.url == reverse("stock-dashboard:stock-list")
        else:
            assert response.status_code == 403 or is_login_redirect(response), (name, url)


def test_the_stock_manager_menu_shows_only_stock(db):
    client = signed_in_client(group="Stock manager")
    html = client.get(reverse("stock-dashboard:stock-list")).content.decode()
    assert reverse("stock-dashboard:stock-list") in html
    assert reverse("dashboard:order-list") not in html
    assert reverse("dashboard:voucher-list") not in html


def test_full_staff_reach_every_dashboard_page(world):
    client = signed_in_client(is_staff=True, is_superuser=True)
    refused = []
    for name, url in world:
        response = client.get(url)
        if response.status_code in (403, 404) or response.status_code >= 500:
            refused.append((name, url, response.status_code))
        elif is_login_redirect(response):
            refused.append((name, url, "login"))
    assert refused == []

"""The header's basket count (shop/basket/summary.py) on every page."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.checkout.helpers import add_to_basket, guest_checkout

pytestmark = pytest.mark.django_db


def header(client):
    return client.get(reverse("catalogue:index")).content.decode()


def test_the_header_counts_the_jars_in_the_shoppers_basket(client, lavender):
    assert " item" not in header(client)
    add_to_basket(client, lavender, 2)
    assert "(2 items)" in header(client)
    add_to_basket(client, lavender, 1)
    assert "(3 items)" in header(client)


def test_a_tampered_or_unknown_basket_cookie_counts_nothing(client, lavender):
    add_to_basket(client, lavender, 2)
    for value in ["12:tampered-signature", "not-even-signed", ""]:
        client.cookies[settings.OSCAR_BASKET_COOKIE_OPEN] = value
        response = client.get(reverse("catalogue:index"))
        assert response.status_code == 200
        assert " item" not in response.content.decode()


def test_a_placed_basket_counts_nothing(client, lavender, reference_data):
    guest_checkout(client, lavender, quantity=2)
    assert " item" not in header(client)


def test_a_signed_in_customer_sees_their_basket_with_what_they_added_as_a_guest(
    lavender, django_user_model
):
    django_user_model.objects.create_user("ann", "ann@example.com", "a-long-password-1")
    shopper = Client()
    add_to_basket(shopper, lavender, 2)
    shopper.login(username="ann@example.com", password="a-long-password-1")
    assert "(2 items)" in header(shopper)
    assert "(2 items)" in header(shopper)

"""Checkout's first step: no account enumeration, no e-mail too long to order with."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.checkout.helpers import add_to_basket, give_address
from tests.factories import create_cream, variant

pytestmark = pytest.mark.django_db

GATEWAY = reverse("checkout:index")


@pytest.fixture
def rose(media):
    return variant(create_cream((("Rose", 5),), images=False), "Rose")


def new_shopper(rose):
    shopper = Client()
    add_to_basket(shopper, rose)
    return shopper


@pytest.fixture
def shopper(rose):
    return new_shopper(rose)


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user("ann", "ann@example.com", "a-long-password")


def gateway(client, email, option, password=""):
    return client.post(GATEWAY, {"username": email, "options": option, "password": password})


@pytest.mark.parametrize("option", ["anonymous", "new"])
def test_the_answer_is_the_same_whether_or_not_the_email_has_an_account(rose, customer, option):
    known = gateway(new_shopper(rose), "ann@example.com", option)
    unknown = gateway(new_shopper(rose), "nobody@example.com", option)

    assert known.status_code == unknown.status_code == 302
    assert known["Location"].replace("ann%40", "") == unknown["Location"].replace("nobody%40", "")


def test_a_guest_with_an_account_checks_out_as_a_guest(shopper, customer):
    response = gateway(shopper, "ann@example.com", "anonymous")

    assert response["Location"] == reverse("checkout:shipping-address")
    assert give_address(shopper).status_code == 302


def test_a_wrong_password_says_nothing_about_the_account(shopper, customer):
    known = gateway(shopper, "ann@example.com", "existing", "wrong-password")
    unknown = gateway(shopper, "nobody@example.com", "existing", "wrong-password")

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def email_of(length: int) -> str:
    """A valid address of `length` characters (labels of at most 63)."""
    domain = ".".join(["b" * 63, "c" * 63, "d" * (length - 64 - 1 - 128 - 4)]) + ".com"
    return "a" * 64 + "@" + domain


def test_an_email_over_254_characters_is_refused_at_step_1(shopper):
    response = gateway(shopper, email_of(255), "anonymous")

    assert response.status_code == 200
    assert "An e-mail address has at most 254 characters (this one has 255)" in (
        response.content.decode()
    )
    assert shopper.get(reverse("checkout:shipping-address")).status_code == 302  # not let in


def test_an_email_of_254_characters_is_accepted(shopper):
    response = gateway(shopper, email_of(254), "anonymous")

    assert response["Location"] == reverse("checkout:shipping-address")

import re

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from tests.checkout.helpers import add_to_basket

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")

pytestmark = pytest.mark.django_db


def basket_lines():
    return sorted(Line.objects.values_list("product__title", "quantity"))


def messages_on(response):
    html = response.content.decode()
    alerts = re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', html, re.S)
    return " ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", a)) for a in alerts)


def test_add_to_basket_and_see_the_totals(client, lavender):
    response = add_to_basket(client, lavender, 2)

    assert response.status_code == 302
    assert basket_lines() == [("Magnesium Body Cream – Lavender", 2)]
    html = client.get(reverse("basket:summary")).content.decode()
    assert "£36.00" in html


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ("-1", "Ensure this value is greater than or equal to 1"),
        ("0", "Ensure this value is greater than or equal to 1"),
        ("abc", "Enter a whole number"),
        ("", "This field is required"),
        (str(10**9), "not able to ship more than 50 items"),
        (str(10**20), "not able to ship more than 50 items"),
        ("5", "a maximum of 4 can be bought"),
    ],
)
def test_bad_add_to_basket_quantity_gets_a_message_and_changes_nothing(
    client, clary, quantity, expected
):
    add_to_basket(client, clary, 1)

    response = client.post(
        reverse("basket:add", kwargs={"pk": clary.pk}),
        {"quantity": quantity},
        HTTP_REFERER=clary.get_absolute_url(),
        follow=True,
    )

    assert response.status_code == 200
    assert expected in messages_on(response)
    assert basket_lines() == [("Magnesium Body Cream – Clary Sage", 1)]


def test_sold_out_fragrance_cannot_be_added(client, cream):
    jasmine = cream.children.get(title__endswith="Jasmine")

    response = add_to_basket(client, jasmine, 1)

    assert response.status_code == 302
    assert "no stock available" in messages_on(client.get(response["Location"]))
    assert basket_lines() == []


@pytest.mark.parametrize(
    ("which", "expected"),
    [
        ("missing", "Sorry, that product is not available."),
        ("private", "Sorry, that product is not available."),
        ("parent", "Please choose a fragrance first."),
    ],
)
def test_adding_a_product_that_is_not_a_fragrance_is_refused(
    client, cream, lavender, clary, which, expected
):
    add_to_basket(client, lavender, 1)
    clary.is_public = False
    clary.save()
    pk = {"missing": 999999, "private": clary.pk, "parent": cream.pk}[which]

    response = client.post(
        reverse("basket:add", kwargs={"pk": pk}),
        {"quantity": "1"},
        HTTP_REFERER=lavender.get_absolute_url(),
        follow=True,
    )

    assert response.status_code == 200
    assert expected in messages_on(response)
    assert basket_lines() == [("Magnesium Body Cream – Lavender", 1)]


@pytest.mark.parametrize("token", [None, "tampered-token-0123456789abcdef0123456789abcdef"])
def test_missing_or_tampered_csrf_token_gets_a_clear_page_and_changes_nothing(lavender, token):
    client = Client(enforce_csrf_checks=True)
    client.get(lavender.get_absolute_url())
    data = {"quantity": "1"}
    if token:
        data["csrfmiddlewaretoken"] = token

    response = client.post(reverse("basket:add", kwargs={"pk": lavender.pk}), data)

    assert response.status_code == 403
    assert "Nothing was changed" in response.content.decode()
    assert basket_lines() == []


def line_form(client):
    response = client.get(reverse("basket:summary"))
    formset = response.context["formset"]
    data = {
        "form-TOTAL_FORMS": formset.total_form_count(),
        "form-INITIAL_FORMS": formset.initial_form_count(),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
    }
    for i, form in enumerate(formset.forms):
        data[f"form-{i}-id"] = form.instance.pk
        data[f"form-{i}-quantity"] = form.instance.quantity
    return data


def test_change_quantity_in_the_basket(client, lavender):
    add_to_basket(client, lavender, 1)
    data = line_form(client)
    data["form-0-quantity"] = "3"

    client.post(reverse("basket:summary"), data)

    assert basket_lines() == [("Magnesium Body Cream – Lavender", 3)]


def test_remove_a_line(client, lavender, clary):
    add_to_basket(client, lavender, 1)
    add_to_basket(client, clary, 1)
    data = line_form(client)
    data["form-0-DELETE"] = "on"

    client.post(reverse("basket:summary"), data)

    assert len(basket_lines()) == 1


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ("-1", "Enter 1 or more. To take it out of your basket, use Remove."),
        ("0", "Enter 1 or more. To take it out of your basket, use Remove."),
        ("", "Enter a quantity of 1 or more."),
        ("abc", "Enter a whole number"),
        (str(10**9), "a maximum of 4 can be bought"),
        ("5", "a maximum of 4 can be bought"),
    ],
)
def test_bad_basket_quantity_gets_a_message_and_changes_nothing(client, clary, quantity, expected):
    add_to_basket(client, clary, 2)
    data = line_form(client)
    data["form-0-quantity"] = quantity

    response = client.post(reverse("basket:summary"), data, follow=True)

    assert response.status_code == 200
    assert expected in response.content.decode()
    assert basket_lines() == [("Magnesium Body Cream – Clary Sage", 2)]


def test_tampered_basket_form_changes_nothing(client, clary, lavender):
    add_to_basket(client, clary, 2)
    other = Client()
    add_to_basket(other, lavender, 1)
    foreign_line = Line.objects.get(product=lavender)
    data = line_form(client)
    data["form-0-id"] = foreign_line.pk  # someone else's basket line
    data["form-0-quantity"] = "7"

    response = client.post(reverse("basket:summary"), data, follow=True)

    assert response.status_code == 200
    assert sorted(Line.objects.values_list("product__title", "quantity")) == [
        ("Magnesium Body Cream – Clary Sage", 2),
        ("Magnesium Body Cream – Lavender", 1),
    ]


def test_basket_totals_include_delivery(client, lavender):
    add_to_basket(client, lavender, 1)
    html = re.sub(r"\s+", " ", client.get(reverse("basket:summary")).content.decode())

    assert "£3.95" in html  # UK Standard below £35
    assert "£21.95" in html

    add_to_basket(client, lavender, 1)
    html = re.sub(r"\s+", " ", client.get(reverse("basket:summary")).content.decode())

    assert "£3.95" not in html  # free from £35
    assert "£36.00" in html

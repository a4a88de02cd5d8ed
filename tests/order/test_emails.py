"""Plain-text e-mails show what was typed (O'Brien), their HTML parts stay escaped."""

import pytest
from django.contrib.sites.models import Site
from oscar.core.loading import get_model

from shop.order.emails import order_message_context
from tests.checkout.helpers import placed_order

CommunicationEventType = get_model("communication", "CommunicationEventType")
ProductAlert = get_model("customer", "ProductAlert")

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(rose, reference_data):
    return placed_order(rose, address={"last_name": "O'Brien", "line4": "Bishop's Stortford"})


def messages(code, ctx):
    return CommunicationEventType(code=code).get_messages(
        {"site": Site.objects.get_current(), **ctx}
    )


@pytest.mark.parametrize("code", ["ORDER_PLACED", "ORDER_PAID", "ORDER_SHIPPED", "ORDER_CANCELLED"])
def test_order_emails_in_plain_text_are_not_html_escaped(order, code):
    rendered = messages(code, order_message_context(order))

    if code in ("ORDER_PLACED", "ORDER_SHIPPED"):  # the others name no address
        assert "O'Brien" in rendered["body"]
        assert "Bishop's Stortford" in rendered["body"]
        assert "O&#x27;Brien" in rendered["html"]  # HTML is still HTML
    assert "&#x27;" not in rendered["body"]
    assert "&amp;" not in rendered["body"]


def test_back_in_stock_emails_in_plain_text_are_not_html_escaped(jasmine, django_user_model):
    product = jasmine  # sold out
    user = django_user_model.objects.create_user(
        "ob", "ob@example.com", "pw", first_name="Siobhán O'Brien"
    )
    alert = ProductAlert.objects.create(product=product, user=user)
    guest_alert = ProductAlert.objects.create(product=product, email="ob@example.com", key="k1")

    back = messages("PRODUCT_ALERT", {"alert": alert, "hurry": False})["body"]
    confirm = messages("PRODUCT_ALERT_CONFIRMATION", {"alert": guest_alert})["body"]

    assert "Dear Siobhán O'Brien," in back
    for body in (back, confirm):
        assert "&#x27;" not in body
        assert "&amp;" not in body

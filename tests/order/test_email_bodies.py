"""The HTML bodies of the shop's order e-mails share one layout
(templates/oscar/communication/emails/order_base.html): the greeting and the message in
one block, then what follows it, then the trader's footer."""

import re
from datetime import date
from decimal import Decimal

import pytest

from shop.order.emails import order_message_context
from tests.checkout.helpers import placed_order
from tests.order.test_emails import messages

pytestmark = pytest.mark.django_db

GREETING = re.compile(r'<td class="content-block">\s*<p>Hello,</p>\s*<p>(.*?)</p>', re.S)


@pytest.fixture
def order(lavender, reference_data):
    return placed_order(lavender)


def html_body(order, code, **extra):
    return messages(code, {**order_message_context(order), **extra})["html"]


@pytest.mark.parametrize(
    ("code", "extra", "first_words", "after"),
    [
        ("ORDER_PAID", {}, "We have received your payment", "Your right to cancel"),
        ("ORDER_SHIPPED", {}, "has shipped by UK Standard", None),
        ("ORDER_CANCELLED", {}, "is cancelled", None),
        (
            "ORDER_REFUNDED",
            {"refund": {"amount": Decimal("18.00"), "method": "card"}},
            "We have refunded £18.00",
            None,
        ),
        (
            "ORDER_PAYMENT_REMINDER",
            {"expires_on": date(2030, 1, 8)},
            "We have not yet received the bank transfer",
            "If you have just paid, thank you",
        ),
    ],
)
def test_each_order_email_greets_then_says_its_message(order, code, extra, first_words, after):
    html = html_body(order, code, **extra)

    [message] = GREETING.findall(html)
    assert first_words in message
    assert order.number in message
    footer = html.index(" team</p>")  # the signature, then the trader
    assert html.index("Hello,") < footer
    if after:
        assert html.index("Hello,") < html.index(after) < footer

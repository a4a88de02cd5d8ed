"""Every e-mail the shop sends to customers says who the trader is."""

from pathlib import Path

import oscar
import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.template.loader import render_to_string
from oscar.test.factories import create_order

from shop.trader.context import order_record_context

pytestmark = pytest.mark.django_db

DIRS = [
    Path(settings.BASE_DIR) / "templates/oscar/communication/emails",
    Path(oscar.__file__).parent / "templates/oscar/communication/emails",
]


def body_templates():
    names = {path.name for folder in DIRS for path in folder.glob("commtype_*_body.*")}
    return sorted(f"oscar/communication/emails/{name}" for name in names)


@pytest.mark.parametrize("template", body_templates())
def test_every_e_mail_body_carries_the_trader(template):
    order = create_order()
    context = {
        "site": Site.objects.get_current(),
        "order": order,
        "bank_details": settings.SHOP_BANK_DETAILS,
        **order_record_context(order),
    }
    text = render_to_string(template, context)

    trader = settings.SHOP_TRADER
    for fact in ("name", "company_number", "vat_number", "address", "email", "phone"):
        assert trader[fact] in text, fact

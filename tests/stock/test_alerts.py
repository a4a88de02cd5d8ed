"""Low-stock alerts for staff (one e-mail per crossing) and back-in-stock e-mails for shoppers."""

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from shop.stock.services import stock_adjust, stock_allocate, stock_release
from tests.factories import create_cream

StockAlert = get_model("partner", "StockAlert")
ProductAlert = get_model("customer", "ProductAlert")

pytestmark = pytest.mark.django_db


@pytest.fixture
def lavender(media):
    # Threshold 5: 8 in stock is fine.
    return create_cream((("Lavender", 8),), images=False).children.get().stockrecords.get()


def open_alerts(record):
    return StockAlert.objects.filter(stockrecord=record, status=StockAlert.OPEN).count()


def test_staff_get_one_email_per_crossing(
    lavender, settings, django_capture_on_commit_callbacks, sent_emails
):
    settings.SHOP_STOCK_ALERT_EMAIL = "warehouse@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        stock_allocate(stockrecord=lavender, quantity=3)  # 5 available: at the threshold
        stock_allocate(stockrecord=lavender, quantity=2)  # still low: no second e-mail
        stock_adjust(stockrecord=lavender, quantity=-1, reason="damaged")

    assert len(sent_emails()) == 1
    assert sent_emails()[0].to == ["warehouse@example.com"]
    assert "Low stock: Magnesium Body Cream – Lavender (SKU-LAVENDER)" in sent_emails()[0].subject
    assert open_alerts(lavender) == 1

    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(stockrecord=lavender, quantity=12, reason="received")  # restocked
    assert open_alerts(lavender) == 0
    assert len(sent_emails()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        stock_allocate(stockrecord=lavender, quantity=10)  # a new crossing
    assert len(sent_emails()) == 2
    assert open_alerts(lavender) == 1


def test_cancelling_an_order_can_close_the_alert(lavender):
    stock_allocate(stockrecord=lavender, quantity=4)
    assert open_alerts(lavender) == 1

    stock_release(stockrecord=lavender, quantity=4)

    assert open_alerts(lavender) == 0


def test_the_stock_page_shows_open_alerts(admin_client, lavender):
    stock_allocate(stockrecord=lavender, quantity=4)

    html = admin_client.get(reverse("stock-dashboard:stock-list")).content.decode()

    assert "Low stock: Magnesium Body Cream – Lavender (SKU-LAVENDER)" in html

    stock_adjust(stockrecord=lavender, quantity=10, reason="received")
    html = admin_client.get(reverse("stock-dashboard:stock-list")).content.decode()
    assert "Low stock:" not in html


def test_restocking_a_sold_out_variant_emails_shoppers_who_asked(
    media, django_capture_on_commit_callbacks, sent_emails
):
    jasmine = create_cream((("Jasmine", 0),), images=False).children.get()
    record = jasmine.stockrecords.get()
    alert = ProductAlert.objects.create(product=jasmine, email="waiting@example.com")
    alert.confirm()  # a guest's alert counts once its e-mail address is confirmed

    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(stockrecord=record, quantity=6, reason="received")

    assert [message.to for message in sent_emails() if "waiting@example.com" in message.to] == [
        ["waiting@example.com"]
    ]
    assert ProductAlert.objects.get().status == ProductAlert.CLOSED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(stockrecord=record, quantity=6, reason="received")  # was not sold out
    assert [m for m in sent_emails() if "waiting@example.com" in m.to] == []


def test_cancelling_the_order_that_held_the_last_jars_emails_shoppers_who_asked(
    media, django_capture_on_commit_callbacks, sent_emails
):
    rose = create_cream((("Rose", 2),), images=False).children.get()
    record = rose.stockrecords.get()
    stock_allocate(stockrecord=record, quantity=2)  # an order holds the last two jars
    alert = ProductAlert.objects.create(product=rose, email="waiting@example.com")
    alert.confirm()

    with django_capture_on_commit_callbacks(execute=True):
        stock_release(stockrecord=record, quantity=1)  # one jar back on sale
        stock_release(stockrecord=record, quantity=1)  # was already back: no second e-mail

    assert [m.to for m in sent_emails() if "waiting@example.com" in m.to] == [
        ["waiting@example.com"]
    ]
    assert ProductAlert.objects.get().status == ProductAlert.CLOSED


def test_saving_the_stock_record_keeps_the_alert_at_the_threshold(lavender):
    stock_allocate(stockrecord=lavender, quantity=3)  # 5 available, threshold 5: low
    lavender.refresh_from_db()
    lavender.price = lavender.price + 1  # staff edit the price in the product form
    lavender.save()
    assert open_alerts(lavender) == 1


def test_raising_the_threshold_in_the_product_form_opens_an_alert(lavender):
    lavender.low_stock_threshold = 10  # 8 available
    lavender.save()
    assert open_alerts(lavender) == 1


def test_a_new_variant_sends_no_low_stock_email(
    media, settings, django_capture_on_commit_callbacks, sent_emails
):
    settings.SHOP_STOCK_ALERT_EMAIL = "warehouse@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        create_cream((("Neroli", 40),), images=False)  # created empty, then 40 received
    assert sent_emails() == []

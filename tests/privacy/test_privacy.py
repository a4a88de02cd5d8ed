"""A customer's own data: export, account deletion, and the retention job."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.contact.models import ContactMessage
from shop.customer.services import email_change_request, signup_request
from shop.mail.models import OutgoingEmail
from shop.privacy.services import personal_data_erase
from tests.checkout.helpers import add_to_basket, choose_delivery, give_address, place_order
from tests.factories import create_cream

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
ProductAlert = get_model("customer", "ProductAlert")

pytestmark = pytest.mark.django_db

EMAIL = "zebedee.quillfeather@example.com"
FIRST, LAST = "Zebedee", "Quillfeather"
PHONE = "07911 123456"
NEEDLES = [EMAIL, "zebedee", "quillfeather", "7911123456", "Wibbleton"]


@pytest.fixture
def cream(media):
    return create_cream((("Rose", 25), ("Jasmine", 0)), images=False)


def customer_with_everything(cream, django_user_model):
    """A customer with an account, a saved address, an order, an alert, a message, a
    sign-up attempt with their address and an e-mail change asked for."""
    user = django_user_model.objects.create_user(
        "zebedee", EMAIL, "pw-for-tests", first_name=FIRST, last_name=LAST
    )
    client = Client()
    client.force_login(user)
    rose = cream.children.get(title__endswith="Rose")
    jasmine = cream.children.get(title__endswith="Jasmine")
    UserAddress.objects.create(
        user=user,
        first_name=FIRST,
        last_name=LAST,
        line1="3 Wibbleton Lane",
        line4="Wibbleton",
        postcode="SW1A 1AA",
        country=Country.objects.get(iso_3166_1_a2="GB"),
        phone_number="+447911123456",
    )
    add_to_basket(client, rose, 2)
    client.get(reverse("checkout:index"))
    give_address(
        client,
        first_name=FIRST,
        last_name=LAST,
        line1="3 Wibbleton Lane",
        line4="Wibbleton",
        phone_number=PHONE,
        notes="Leave with Zebedee's neighbour",
    )
    choose_delivery(client)
    assert place_order(client).status_code == 302
    ProductAlert.objects.create(user=user, product=jasmine)
    client.post("/contact/", {"name": f"{FIRST} {LAST}", "email": EMAIL, "message": "Hello"})
    # Someone signed up with the address (it had an account: a row that counts the
    # e-mails sent), and the customer asked to change it.
    signup_request(email=EMAIL, password="a-long-enough-password-9")
    email_change_request(user=user, email="zebedee.q@example.com")
    return user, client, Order.objects.get(user=user)


def test_the_export_holds_the_profile_addresses_orders_and_alerts(cream, django_user_model):
    user, client, order = customer_with_everything(cream, django_user_model)

    response = client.get(reverse("privacy:export"))

    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == EMAIL
    assert data["profile"]["last_name"] == LAST
    assert data["addresses"][0]["lines"][:2] == [f"{FIRST} {LAST}", "3 Wibbleton Lane"]
    [exported] = data["orders"]
    assert exported["number"] == order.number
    assert exported["total_incl_tax"] == str(order.total_incl_tax)
    assert exported["shipping_address"]["phone_number"] == "+447911123456"
    assert exported["lines"][0]["quantity"] == 2
    assert data["alerts"][0]["product"].endswith("Jasmine")
    assert data["contact_messages"][0]["message"] == "Hello"


def test_export_and_deletion_need_a_signed_in_customer(client):
    assert client.get(reverse("privacy:export")).status_code == 302
    assert client.post(reverse("privacy:your-data"), {"password": "x"}).status_code == 302


def test_a_wrong_password_deletes_nothing(cream, django_user_model):
    user, client, _order = customer_with_everything(cream, django_user_model)

    response = client.post(reverse("privacy:your-data"), {"password": "not-it"})

    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    assert django_user_model.objects.filter(pk=user.pk).exists()


def rows_holding(needles) -> dict:
    """Every value of every column of every table that holds one of `needles`."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [col[0] for col in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = value if isinstance(value, str) else None
                    if isinstance(value, bytes | memoryview):
                        text = bytes(value).decode("utf-8", "ignore")
                    if text and any(n.lower() in text.lower() for n in needles):
                        found.setdefault(f"{table}.{column}", []).append(text[:120])
    return found


def test_after_deletion_and_retention_no_column_holds_the_customer(
    cream, django_user_model, sent_emails
):
    user, client, order = customer_with_everything(cream, django_user_model)
    sent_emails()
    total, lines = order.total_incl_tax, list(order.lines.values_list("line_price_incl_tax"))
    assert rows_holding(NEEDLES)  # the search finds them while they are there

    response = client.post(reverse("privacy:your-data"), {"password": "pw-for-tests"})

    assert response.status_code == 302
    assert not django_user_model.objects.filter(email=EMAIL).exists()
    # The order is a tax record: it keeps the customer's details until retention ends.
    order.refresh_from_db()
    assert order.email == EMAIL
    assert personal_data_erase().startswith("0 orders erased")

    later = timezone.now() + timedelta(days=6 * 365 + 3)
    summary = personal_data_erase(now=later)

    assert summary.startswith("1 orders erased")
    assert rows_holding(NEEDLES) == {}
    order.refresh_from_db()
    assert order.total_incl_tax == total
    assert list(order.lines.values_list("line_price_incl_tax")) == lines


def test_retention_erases_guests_orders_and_old_messages_only_when_due(cream):
    rose = cream.children.get(title__endswith="Rose")
    from tests.checkout.helpers import guest_checkout

    guest_checkout(Client(), rose, email=EMAIL)
    Client().post("/contact/", {"name": f"{FIRST} {LAST}", "email": EMAIL, "message": "Hi"})
    order = Order.objects.get()

    personal_data_erase(now=timezone.now() + timedelta(days=300))
    assert ContactMessage.objects.count() == 1
    personal_data_erase(now=timezone.now() + timedelta(days=366))
    assert ContactMessage.objects.count() == 0
    assert not OutgoingEmail.objects.filter(event="CONTACT_MESSAGE").exists()
    order.refresh_from_db()
    assert order.guest_email == EMAIL  # not yet six years

    personal_data_erase(now=timezone.now() + timedelta(days=6 * 365 + 3))

    order.refresh_from_db()
    assert order.guest_email == ""
    assert order.shipping_address.last_name == ""
    assert rows_holding([EMAIL, "Shopper"]) == {}


def test_the_retention_job_is_a_timed_job(settings):
    from django.utils.module_loading import import_string

    job = import_string(settings.SHOP_JOBS["personal-data-erase"]["job"])

    assert "orders erased" in job()

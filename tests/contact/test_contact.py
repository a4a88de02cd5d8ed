"""The contact form: stored, e-mailed to staff, refusing bots and bad input clearly."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shop.contact.models import ContactMessage

pytestmark = pytest.mark.django_db

URL = "/contact/"
MESSAGE = {
    "name": "Ann Shopper",
    "email": "ann@example.com",
    "order_number": "100001",
    "message": "Does the lavender cream come in a bigger jar?",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def test_a_message_is_stored_and_e_mailed_to_staff(client, settings, sent_emails):
    response = client.post(URL, MESSAGE, follow=True)

    assert "we have your message" in response.content.decode()
    stored = ContactMessage.objects.get()
    assert (stored.name, stored.email, stored.order_number) == (
        "Ann Shopper",
        "ann@example.com",
        "100001",
    )
    [staff_mail] = sent_emails()
    assert staff_mail.to == [settings.SHOP_CUSTOMER_SERVICE_EMAIL]
    assert staff_mail.reply_to == ["ann@example.com"]
    assert MESSAGE["message"] in staff_mail.body
    assert "100001" in staff_mail.subject


def test_the_form_shows_the_staff_editable_contact_text(client):
    from shop.trader.services import page_specs, pages_sync

    pages_sync(specs=page_specs())

    html = client.get(URL).content.decode()

    assert "+44 20 0000 0000" in html
    assert '<form method="post"' in html


def test_the_honeypot_refuses_bots_with_a_clear_message(client, sent_emails):
    response = client.post(URL, {**MESSAGE, "website": "http://spam.example"})

    assert response.status_code == 400
    assert "looks automated" in response.content.decode()
    assert ContactMessage.objects.count() == 0
    assert sent_emails() == []


def test_the_rate_limit_refuses_a_client_sending_too_many(client, settings):
    settings.SHOP_CONTACT_RATE = 2
    for _ in range(2):
        assert client.post(URL, MESSAGE).status_code == 302

    response = client.post(URL, MESSAGE)

    assert response.status_code == 429
    assert "several messages in the last hour" in response.content.decode()
    assert ContactMessage.objects.count() == 2
    # Another client is not affected.
    assert Client(REMOTE_ADDR="192.0.2.9").post(URL, MESSAGE).status_code == 302


def test_ten_kilobytes_of_unicode_get_a_clear_message(client):
    response = client.post(URL, {**MESSAGE, "message": "Ünïcødé ✓ 日本 " * 800})

    assert response.status_code == 400
    assert "Please keep your message under 5,000 characters" in response.content.decode()
    assert ContactMessage.objects.count() == 0


def test_unicode_within_the_limit_is_kept_as_written(client):
    client.post(URL, {**MESSAGE, "name": "Zoë Åström", "message": "Merci ✓ 日本"})

    assert ContactMessage.objects.get().name == "Zoë Åström"


def test_an_empty_form_says_what_is_missing(client):
    response = client.post(URL, {})

    assert response.status_code == 400
    html = response.content.decode()
    for text in (
        "Please tell us your name.",
        "Please give your e-mail",
        "Please write your message.",
    ):
        assert text in html
    assert ContactMessage.objects.count() == 0


def test_a_missing_csrf_token_is_refused_plainly():
    response = Client(enforce_csrf_checks=True).post(URL, MESSAGE)

    assert response.status_code == 403
    assert "Nothing was changed" in response.content.decode()
    assert ContactMessage.objects.count() == 0


def test_staff_see_the_messages(admin_client, client):
    client.post(URL, MESSAGE)

    html = admin_client.get(reverse("contact-dashboard:message-list")).content.decode()

    assert "Ann Shopper" in html
    assert "bigger jar" in html

"""Throttled sign-in (django-axes): every login form, the checkout's returning
customer, password reset and voucher codes."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from oscar.test import factories as oscar

from tests.checkout.helpers import add_to_basket
from tests.factories import create_cream

pytestmark = pytest.mark.django_db

EMAIL = "ann@example.com"
PASSWORD = "the-right-password-42"


@pytest.fixture
def ann(django_user_model, hashes):
    return django_user_model.objects.create_user("ann", EMAIL, PASSWORD)


@pytest.fixture
def staff(django_user_model, hashes):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)


def customer_login(client, password, email=EMAIL):
    return client.post(
        reverse("customer:login"),
        {"login-username": email, "login-password": password, "login_submit": "1"},
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def test_twenty_wrong_passwords_lock_the_address_and_refuse_the_right_one(client, ann, hashes):
    statuses = [customer_login(client, f"wrong-{i}").status_code for i in range(20)]

    assert max(statuses) < 500
    assert statuses[:9] == [200] * 9  # the form again, with its error
    assert set(statuses[9:]) == {429}
    hashes.count = 0
    response = customer_login(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts" in page
    assert "Please wait 10 minutes" in page
    assert not signed_in(client)
    # Locked out: refused before any password is hashed.
    assert hashes.count == 0


def test_a_wrong_password_is_hashed_once(client, ann, hashes):
    hashes.count = 0
    customer_login(client, "wrong")
    assert hashes.count == 1
    customer_login(client, "wrong", email="nobody@example.com")
    assert hashes.count == 2


def test_the_lockout_ends_after_the_cool_off(client, ann, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for i in range(10):
        customer_login(client, f"wrong-{i}")
    assert customer_login(client, PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME)

    assert customer_login(client, PASSWORD).status_code == 302
    assert signed_in(client)


def test_an_account_is_locked_whatever_the_address(ann):
    for i in range(10):
        customer_login(Client(REMOTE_ADDR=f"10.0.0.{i}"), f"wrong-{i}")

    response = customer_login(Client(REMOTE_ADDR="10.0.1.1"), PASSWORD)
    assert response.status_code == 429
    # Another account from that address is not affected.
    other = Client(REMOTE_ADDR="10.0.1.1")
    oscar.UserFactory(email="bob@example.com", password=PASSWORD)
    assert customer_login(other, PASSWORD, email="bob@example.com").status_code == 302


def test_behind_the_proxy_each_shoppers_address_is_throttled_on_its_own(ann, settings):
    """Behind nginx REMOTE_ADDR is nginx's: the address comes from its X-Real-IP, the one
    setting every per-address limit reads (SHOP_CLIENT_ADDRESS_HEADER)."""
    from axes.models import AccessAttempt

    settings.SHOP_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    oscar.UserFactory(email="bob@example.com", password=PASSWORD)
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9")
    for i in range(10):
        customer_login(guesser, f"wrong-{i}", email=f"nobody-{i}@example.com")
    assert customer_login(guesser, PASSWORD, email="bob@example.com").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}

    # Another shopper through the same proxy signs in.
    shopper = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.7")
    assert customer_login(shopper, PASSWORD).status_code == 302
    # Whatever the header holds, a wrong password is a wrong password, never a 500.
    junk = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="<script>")
    assert customer_login(junk, "wrong").status_code == 200


@pytest.mark.parametrize(
    ("url_name", "fields"),
    [
        ("admin:login", {"username": "boss@example.com", "password": "{pw}"}),
        ("dashboard:login", {"username": "boss@example.com", "password": "{pw}"}),
    ],
)
def test_the_staff_login_forms_are_throttled(client, staff, url_name, fields):
    def attempt(password):
        data = {k: v.format(pw=password) for k, v in fields.items()}
        return client.post(reverse(url_name), data)

    statuses = [attempt(f"wrong-{i}").status_code for i in range(12)]
    assert max(statuses) < 500
    assert statuses[-1] == 429
    assert attempt(PASSWORD).status_code == 429
    assert not signed_in(client)


def test_the_checkouts_returning_customer_form_is_throttled(client, ann, media):
    add_to_basket(client, create_cream(images=False).children.first())

    def attempt(password):
        return client.post(
            reverse("checkout:index"),
            {"username": EMAIL, "options": "existing", "password": password},
        )

    statuses = [attempt(f"wrong-{i}").status_code for i in range(12)]
    assert max(statuses) < 500
    assert statuses[-1] == 429
    assert attempt(PASSWORD).status_code == 429
    assert not signed_in(client)


def test_voucher_codes_cannot_be_guessed(client, media):
    add_to_basket(client, create_cream(images=False).children.first())
    voucher = oscar.create_voucher(code="REALCODE")

    statuses = [
        client.post(reverse("basket:vouchers-add"), {"code": f"GUESS{i}"}).status_code
        for i in range(12)
    ]
    assert max(statuses) < 500
    assert statuses[-1] == 429
    response = client.post(reverse("basket:vouchers-add"), {"code": voucher.code})
    assert response.status_code == 429
    assert "Please wait 10 minutes" in response.content.decode()


def test_password_reset_requests_are_throttled(client, ann, settings):
    from shop.mail.models import OutgoingEmail

    statuses = [
        client.post(reverse("password-reset"), {"email": EMAIL}).status_code for _ in range(12)
    ]

    assert max(statuses) < 500
    assert statuses[-1] == 429
    # One reset e-mail queued per request let through.
    assert OutgoingEmail.objects.filter(to=[EMAIL]).count() == settings.AXES_FAILURE_LIMIT


def test_staff_unlock_a_lockout_from_the_dashboard(client, ann, staff):
    for i in range(10):
        customer_login(client, f"wrong-{i}")
    assert customer_login(client, PASSWORD).status_code == 429
    admin = Client()
    admin.force_login(staff)

    page = admin.get(reverse("signin-dashboard:lockout-list"))
    assert page.status_code == 200
    assert EMAIL in page.content.decode()
    attempt = page.context["attempts"][0]
    admin.post(reverse("signin-dashboard:lockout-unlock"), {"attempt": attempt.pk})

    assert customer_login(client, PASSWORD).status_code == 302
    assert signed_in(client)


def test_registration_still_signs_the_new_customer_in(client, sent_emails):
    client.post(
        reverse("customer:register"),
        {
            "email": "new@example.com",
            "password1": "a-long-new-password-7",
            "password2": "a-long-new-password-7",
        },
    )
    assert not signed_in(client)  # not before the e-mailed link is opened
    link = re.search(r"/accounts/register/confirm/[^/\s]+/", sent_emails()[0].body)[0]

    response = client.post(link, {"password": "a-long-new-password-7"})

    assert response.status_code == 302
    assert signed_in(client)

"""Staff two-factor sign-in (django-otp, TOTP) for the dashboard and the admin."""

import pytest
from django.core import signing
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from shop.signin.views import SETUP_SALT

pytestmark = pytest.mark.django_db


def code(hex_key):
    return f"{TOTP(bytes.fromhex(hex_key)).token():06d}"


@pytest.fixture
def required(settings):
    settings.SHOP_STAFF_TWO_FACTOR = True


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")


def enrol(client):
    page = client.get(reverse("signin-dashboard:two-factor-setup"))
    signed = page.context["form"].initial["key"]
    hex_key = signing.loads(signed, salt=SETUP_SALT)["key"]
    response = client.post(
        reverse("signin-dashboard:two-factor-setup"), {"key": signed, "token": code(hex_key)}
    )
    return page, response, hex_key


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/stock/", "/admin/"])
def test_without_a_code_the_back_office_asks_for_one(client, staff, required, url):
    client.force_login(staff)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("signin-dashboard:two-factor"))


def test_development_does_not_ask(client, staff, settings):
    settings.SHOP_STAFF_TWO_FACTOR = False
    client.force_login(staff)

    assert client.get("/dashboard/").status_code == 200


def test_enrolment_stores_nothing_until_a_code_proves_the_key(client, staff, required):
    client.force_login(staff)

    page, response, _key = enrol(client)

    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=staff).confirmed
    # Verified in this session: the dashboard opens.
    assert client.get("/dashboard/").status_code == 200


def test_a_wrong_code_enrols_nothing(client, staff, required):
    client.force_login(staff)
    page = client.get(reverse("signin-dashboard:two-factor-setup"))

    response = client.post(
        reverse("signin-dashboard:two-factor-setup"),
        {"key": page.context["form"].initial["key"], "token": "000000"},
    )

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_the_next_session_needs_the_code_from_the_app(client, staff, required):
    client.force_login(staff)
    _page, _response, hex_key = enrol(client)
    client.logout()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302
    verify = reverse("signin-dashboard:two-factor")

    wrong = client.post(verify, {"otp_device": "", "otp_token": "123456"})
    assert client.get("/admin/").status_code == 302

    # A password alone cannot replace the device.
    setup = client.get(reverse("signin-dashboard:two-factor-setup"))
    assert setup.status_code == 302

    device = TOTPDevice.objects.get(user=staff)
    response = client.post(
        f"{verify}?next=/admin/",
        {"otp_device": device.persistent_id, "otp_token": code(hex_key)},
    )
    assert wrong.status_code == 200
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_session_cookie_is_strict_and_shoppers_lax(client, staff, django_user_model):
    response = client.post(
        reverse("dashboard:login"), {"username": "boss@example.com", "password": "pw"}
    )
    assert response.cookies["sessionid"]["samesite"] == "Strict"

    django_user_model.objects.create_user("ann", "ann@example.com", "pw")
    shopper = client.__class__()
    response = shopper.post(
        reverse("customer:login"),
        {"login-username": "ann@example.com", "login-password": "pw", "login_submit": "1"},
    )
    assert response.cookies["sessionid"]["samesite"] == "Lax"

"""Oscar's views that acted on GET ask first, and act on the POST."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test import factories as oscar

Partner = get_model("partner", "Partner")

pytestmark = pytest.mark.django_db


def test_a_default_address_is_set_by_the_post_not_the_get(client, django_user_model):
    user = django_user_model.objects.create_user("ann", "ann@example.com", "pw")
    address = oscar.UserAddressFactory(user=user, is_default_for_shipping=False)
    client.force_login(user)
    url = reverse(
        "customer:address-change-status",
        kwargs={"pk": address.pk, "action": "default_for_shipping"},
    )

    page = client.get(url)
    address.refresh_from_db()
    assert page.status_code == 200
    assert "Make this address your default?" in page.content.decode()
    assert not address.is_default_for_shipping

    assert client.post(url).status_code == 302
    address.refresh_from_db()
    assert address.is_default_for_shipping


def test_linking_a_partner_user_is_a_post_only(admin_client):
    partner = Partner.objects.create(name="Shop")
    customer = oscar.UserFactory()
    url = reverse(
        "dashboard:partner-user-link", kwargs={"partner_pk": partner.pk, "user_pk": customer.pk}
    )

    assert admin_client.get(url).status_code == 405
    assert not partner.users.exists()

    assert admin_client.post(url).status_code == 302
    assert list(partner.users.all()) == [customer]


def test_an_order_line_page_leads_to_its_order(client, django_user_model):
    user = django_user_model.objects.create_user("ann", "ann@example.com", "pw")
    order = oscar.create_order(user=user)
    client.force_login(user)
    url = reverse(
        "customer:order-line",
        kwargs={"order_number": order.number, "line_id": order.lines.first().pk},
    )

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == reverse("customer:order", kwargs={"order_number": order.number})


def test_signing_out_is_a_post(client, django_user_model):
    user = django_user_model.objects.create_user("ann", "ann@example.com", "pw")
    client.force_login(user)

    page = client.get(reverse("customer:logout"))
    assert "Sign out?" in page.content.decode()
    assert "_auth_user_id" in client.session

    client.post(reverse("customer:logout"))
    assert "_auth_user_id" not in client.session

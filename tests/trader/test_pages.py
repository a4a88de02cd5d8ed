"""The trader on every page, the information pages, and their seeding."""

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.urls import reverse

from shop.trader.services import page_specs, pages_sync

pytestmark = pytest.mark.django_db

FOOTER_LINKS = {
    "Delivery": "/delivery/",
    "Returns &amp; cancellations": "/returns/",
    "Terms of sale": "/terms/",
    "Privacy": "/privacy/",
    "Cookies": "/cookies/",
    "Contact": "/contact/",
    "Accessibility": "/accessibility/",
}

# What each page must say (STORE.md), beyond the trader line every page carries.
FACTS = {
    "/returns/": ["14 days", "hygiene seal", "Model cancellation form", "return postage"],
    "/terms/": ["company number 00000000", "GB 000 0000 00", "Place order and pay"],
    "/privacy/": ["6 years", "12 months", "Information Commissioner"],
    "/delivery/": ["£3.95", "£35", "£6.95", "2 pm"],
    "/cookies/": ["sessionid", "csrftoken", "oscar_open_basket", "messages"],
    "/contact/": ["care@example.com", "+44 20 0000 0000"],
    "/accessibility/": ["WCAG"],
}


@pytest.fixture
def pages():
    return pages_sync(specs=page_specs())


def test_every_page_links_the_seven_pages_and_names_the_trader(client, pages):
    html = client.get(reverse("home")).content.decode()

    for text, url in FOOTER_LINKS.items():
        assert f'<a href="{url}">{text}</a>' in html
    trader = settings.SHOP_TRADER
    for fact in ("name", "company_number", "vat_number", "address", "email", "phone"):
        assert trader[fact] in html


@pytest.mark.parametrize(("url", "facts"), FACTS.items())
def test_each_page_answers_with_its_facts(client, pages, url, facts):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    for fact in [*facts, "company number 00000000", "VAT number GB 000 0000 00"]:
        assert fact in html, fact


def test_the_terms_page_shows_its_version(client, pages, settings):
    settings.SHOP_TERMS_VERSION = "2031-01-02"

    assert "Version 2031-01-02" in client.get("/terms/").content.decode()


def test_seeding_twice_creates_nothing_and_keeps_staff_edits(pages):
    assert len(pages.created) == 7
    FlatPage.objects.filter(url="/delivery/").update(content="<p>Edited by staff</p>")

    again = pages_sync(specs=page_specs())

    assert again.created == []
    assert again.differing == ["/delivery/"]
    assert FlatPage.objects.get(url="/delivery/").content == "<p>Edited by staff</p>"
    assert FlatPage.objects.count() == 7


def test_a_missing_page_is_a_404_not_a_500(client):
    assert client.get("/terms/").status_code == 404


def test_staff_edit_the_pages_in_oscars_dashboard(admin_client, pages):
    page = FlatPage.objects.get(url="/returns/")

    response = admin_client.get(reverse("dashboard:page-update", kwargs={"pk": page.pk}))

    assert response.status_code == 200
    assert "hygiene seal" in response.content.decode()


def test_page_content_is_sanitised(client, pages):
    FlatPage.objects.filter(url="/privacy/").update(
        content='<p>Fine</p><script>alert("x")</script><img src=x onerror=alert(1)>'
    )

    html = client.get("/privacy/").content.decode()

    assert "<p>Fine</p>" in html
    assert "alert(" not in html

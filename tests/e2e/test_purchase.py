"""A shopper buys two jars of Clary Sage as a guest; staff mark the order paid and shipped."""

import re

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.factories import create_cream

Order = get_model("order", "Order")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def cream(media):
    return create_cream((("Lavender", 40), ("Clary Sage", 4), ("Jasmine", 0)))


@pytest.fixture
def staff_login(django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-for-e2e-only")
    return "boss@example.com", "pw-for-e2e-only"


def panel(page):
    return page.locator("section.variant-panel:visible")


def test_guest_buys_clary_sage_and_staff_ship_it(
    browser, live_server, cream, staff_login, reference_data
):
    shop = browser.new_context()
    page = shop.new_page()

    page.goto(live_server.url + cream.get_absolute_url())
    page.get_by_role("radio", name=re.compile("^Clary Sage")).check()
    expect(panel(page).locator("[data-stock]")).to_have_text("Only 4 left")
    panel(page).get_by_label("Quantity").fill("2")
    panel(page).get_by_role("button", name="Add Clary Sage to basket").click()
    expect(page.get_by_text(re.compile("added to your basket")).first).to_be_visible()

    page.goto(live_server.url + "/basket/")
    expect(page.locator("#basket_formset")).to_contain_text("Clary Sage")
    page.get_by_role("link", name="Proceed to checkout").click()

    page.get_by_label("My email address is").fill("guest@example.com")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("First name").fill("Ann")
    page.get_by_label("Last name").fill("Shopper")
    page.get_by_label("First line of address").fill("1 High Street")
    page.get_by_label("City").fill("London")
    page.get_by_label("Post/Zip-code").fill("SW1A 1AA")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_text("UK Standard")).to_be_visible()
    page.get_by_role("button", name="Select option").first.click()

    expect(page.get_by_role("heading", name="Bank transfer")).to_be_visible()
    page.get_by_role("button", name="Place order").click()

    expect(page).to_have_url(live_server.url + "/checkout/thank-you/")
    order = Order.objects.get()
    expect(page.locator("[data-payment-reference]")).to_have_text(order.number)
    expect(page.locator("[data-bank-details]")).to_contain_text("Sort code")
    expect(page.locator("[data-bank-details]")).to_contain_text("£36.00")

    clary = cream.children.get(title__endswith="Clary Sage")
    page.goto(live_server.url + clary.get_absolute_url())
    expect(panel(page).locator("[data-stock]")).to_have_text("Only 2 left")
    shop.close()

    office = browser.new_context()
    staff = office.new_page()
    staff.goto(live_server.url + "/dashboard/login/")
    staff.locator("#id_username").fill(staff_login[0])
    staff.locator("#id_password").fill(staff_login[1])
    staff.get_by_role("button", name="Login").click()
    expect(staff.get_by_role("link", name="Dashboard").first).to_be_visible()
    staff.goto(live_server.url + f"/dashboard/orders/{order.number}/")
    for status in ["Paid", "Shipped"]:
        # The order's status (a line has no status of its own to change).
        staff.locator("#order_status_form select[name=new_status]").select_option(status)
        staff.get_by_role("button", name="Change status").click()
        expect(staff.get_by_text(f"to '{status}'").first).to_be_visible()
    office.close()

    order.refresh_from_db()
    assert order.status == "Shipped"
    record = clary.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (2, 0)

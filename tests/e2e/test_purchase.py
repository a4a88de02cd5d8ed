"""A shopper buys two jars of Clary Sage as a guest; staff mark the order paid and shipped."""

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.e2e.journeys import add_to_basket, checkout_as_guest, visible_panel

Order = get_model("order", "Order")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def staff_login(django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-for-e2e-only")
    return "boss@example.com", "pw-for-e2e-only"


def test_guest_buys_clary_sage_and_staff_ship_it(
    browser, live_server, cream, clary, staff_login, reference_data
):
    shop = browser.new_context()
    page = shop.new_page()

    page.goto(live_server.url + clary.get_absolute_url())
    expect(visible_panel(page).locator("[data-stock]")).to_have_text("Only 4 left")
    add_to_basket(page, live_server.url, cream, "Clary Sage", quantity=2)
    checkout_as_guest(page, live_server.url)

    expect(page.get_by_role("heading", name="Bank transfer")).to_be_visible()
    page.get_by_role("button", name="Place order").click()

    expect(page).to_have_url(live_server.url + "/checkout/thank-you/")
    order = Order.objects.get()
    expect(page.locator("[data-payment-reference]")).to_have_text(order.number)
    expect(page.locator("[data-bank-details]")).to_contain_text("Sort code")
    expect(page.locator("[data-bank-details]")).to_contain_text("£36.00")

    page.goto(live_server.url + clary.get_absolute_url())
    expect(visible_panel(page).locator("[data-stock]")).to_have_text("Only 2 left")
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

"""The basket page in Debian's chromium: lines change and go without jQuery."""

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import visible_panel

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_line_is_updated_and_removed_with_the_basket_buttons(
    browser, live_server, lavender, rose, javascript
):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for child in (lavender, rose):
        page.goto(live_server.url + child.get_absolute_url())
        visible_panel(page).get_by_role("button", name="to basket").click()

    page.goto(live_server.url + "/basket/")
    page.get_by_label("Quantity of Magnesium Body Cream – Rose").fill("3")
    page.get_by_label("Quantity of Magnesium Body Cream – Rose").press("Enter")
    expect(page.get_by_label("Quantity of Magnesium Body Cream – Rose")).to_have_value("3")
    expect(page.get_by_label("Quantity of Magnesium Body Cream – Lavender")).to_have_value("1")

    page.get_by_role("button", name="Remove Magnesium Body Cream – Lavender").click()

    expect(page.locator("#basket_formset .basket-items")).to_have_count(1)
    expect(page.locator("#basket_formset")).to_contain_text("Rose")
    expect(page.locator("[data-header-basket]")).to_have_count(0)  # the basket page hides it
    assert errors == []
    context.close()

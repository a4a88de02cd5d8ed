"""The fragrance picker in Debian's chromium, with and without JavaScript."""

import re
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import pick_fragrance, visible_panel
from tests.factories import variant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cream(cream):
    # A price of its own, so that switching to Rose visibly changes the price.
    variant(cream, "Rose").stockrecords.update(price=Decimal("21.00"))
    return cream


def visible_image_src(page):
    return page.locator("figure.variant-image:visible img").get_attribute("src")


def test_choosing_a_fragrance_swaps_the_page_without_a_reload(
    browser, live_server, cream, rose, jasmine
):
    context = browser.new_context()
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))

    page.goto(live_server.url + cream.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    expect(page.get_by_role("button", name="Show this fragrance")).to_be_hidden()
    expect(visible_panel(page)).to_have_count(1)
    expect(visible_panel(page).get_by_role("heading")).to_have_text("Lavender")
    lavender_image = visible_image_src(page)

    pick_fragrance(page, "Rose")

    expect(page).to_have_url(live_server.url + rose.get_absolute_url())
    panel = visible_panel(page)
    expect(panel.get_by_role("heading")).to_have_text("Rose")
    expect(panel.locator("[data-price]")).to_contain_text("£21.00")
    expect(panel.locator("[data-stock]")).to_have_text("In stock")
    expect(panel.locator("[data-description]")).to_have_text("Rose description.")
    expect(panel.locator("form[data-add-to-basket]")).to_have_attribute(
        "action", f"/basket/add/{rose.pk}/"
    )
    assert visible_image_src(page) != lavender_image
    assert page.evaluate("window.__sameDocument") is True

    pick_fragrance(page, "Clary Sage")
    expect(visible_panel(page).locator("[data-stock]")).to_have_text("Only 4 left")
    expect(visible_panel(page).locator("[data-price]")).to_contain_text("£18.00")

    pick_fragrance(page, "Jasmine")
    expect(page).to_have_url(live_server.url + jasmine.get_absolute_url())
    expect(visible_panel(page).locator("[data-stock]")).to_have_text("Sold out")
    expect(visible_panel(page).get_by_role("button", name="Notify me")).to_be_visible()
    expect(visible_panel(page).locator("form[data-add-to-basket]")).to_have_count(0)
    assert page.evaluate("window.__sameDocument") is True

    assert hosts == {urlparse(live_server.url).netloc}
    context.close()


def test_the_chosen_fragrance_url_can_be_shared(browser, live_server, clary):
    page = browser.new_page()

    page.goto(live_server.url + clary.get_absolute_url())

    expect(page.get_by_role("radio", name=re.compile("^Clary Sage"))).to_be_checked()
    expect(visible_panel(page).locator("[data-stock]")).to_have_text("Only 4 left")
    page.close()


def test_without_javascript_the_picker_still_works(browser, live_server, cream, rose):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(live_server.url + cream.get_absolute_url())
    expect(visible_panel(page).get_by_role("heading")).to_have_text("Lavender")
    pick_fragrance(page, "Rose")
    page.get_by_role("button", name="Show this fragrance").click()

    expect(page).to_have_url(live_server.url + rose.get_absolute_url())
    panel = visible_panel(page)
    expect(panel.get_by_role("heading")).to_have_text("Rose")
    expect(panel.locator("[data-price]")).to_contain_text("£21.00")
    expect(panel.locator("[data-stock]")).to_have_text("In stock")
    expect(page.locator("figure.variant-image:visible")).to_have_attribute(
        "data-variant", str(rose.pk)
    )
    context.close()


def test_pointing_at_a_fragrance_loads_its_image_before_the_switch(
    browser, live_server, cream, rose
):
    page = browser.new_page()
    page.goto(live_server.url + cream.get_absolute_url())
    image = page.locator(f'figure[data-variant="{rose.pk}"] img')
    assert image.evaluate("img => img.complete && img.naturalWidth") == 0  # lazy and hidden

    page.get_by_text("Rose", exact=True).first.hover()

    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    page.close()

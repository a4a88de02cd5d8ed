"""Choosing a fragrance in Debian's chromium swaps its ingredient panel too."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import pick_fragrance, visible_panel
from tests.factories import add_formula

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cream(cream):
    return add_formula(cream)


def test_choosing_a_fragrance_swaps_the_ingredient_panel(browser, live_server, cream):
    page = browser.new_page()
    page.goto(live_server.url + cream.get_absolute_url())
    page.evaluate("window.__sameDocument = true")

    panel = visible_panel(page)
    expect(panel.locator("[data-inci-line]")).to_contain_text("Lavandula Angustifolia Oil")
    expect(page.locator("[data-inci-line]:visible")).to_have_count(1)

    pick_fragrance(page, "Rose")

    panel = visible_panel(page)
    expect(panel.locator("[data-inci-line]")).to_have_text(
        "Aqua, Magnesium Chloride, Glycerin, Rosa Damascena Flower Oil, Benzyl Alcohol, "
        "Tocopherol, Citral*, Citronellol*, Eugenol*, Farnesol*, Geraniol*, Linalool*"
    )
    expect(panel.locator("[data-allergens] li")).to_have_text(
        ["Citral", "Citronellol", "Eugenol", "Farnesol", "Geraniol", "Linalool"]
    )
    panel.get_by_text("What each ingredient does and why it is there").click()
    expect(panel.get_by_role("row", name=re.compile("^Magnesium Chloride"))).to_contain_text(
        "(25%)"
    )

    pick_fragrance(page, "Jasmine")
    expect(page.locator("[data-inci-line]:visible")).to_contain_text(
        "Jasminum Grandiflorum Flower Extract"
    )
    expect(page.locator("[data-allergens]:visible li")).to_have_count(4)
    assert page.evaluate("window.__sameDocument") is True
    page.close()

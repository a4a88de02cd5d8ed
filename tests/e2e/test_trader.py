"""The trader and the seven information pages on every page, in a real browser; axe and
Lighthouse on the new pages; an anonymous purchase sets only the cookies the Cookies page
lists."""

import urllib.request

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.core.cache import cache
from playwright.sync_api import expect

from shop.trader.services import page_specs, pages_sync
from tests.e2e.audits import Audit, assert_lighthouse_scores, basket_cookie
from tests.e2e.journeys import add_to_basket, checkout_as_guest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FOOTER_LINKS = [
    ("Delivery", "/delivery/"),
    ("Returns & cancellations", "/returns/"),
    ("Terms of sale", "/terms/"),
    ("Privacy", "/privacy/"),
    ("Cookies", "/cookies/"),
    ("Contact", "/contact/"),
    ("Accessibility", "/accessibility/"),
]
# STORE.md's facts, on the page that must state them.
FACTS = {
    "/returns/": ["14 days", "hygiene seal", "cannot be returned for hygiene reasons"],
    "/terms/": ["company number 00000000", "VAT number GB 000 0000 00", "14 days"],
    "/privacy/": ["6 years after the order", "12 months"],
    "/delivery/": ["2–4 working days", "free on orders of £35 or more"],
    "/cookies/": ["sessionid", "csrftoken", "oscar_open_basket"],
    "/contact/": ["care@example.com"],
    "/accessibility/": ["(WCAG) 2.2"],
}
# The cookies the Cookies page lists (fixtures/pages/cookies.html): all strictly necessary.
NECESSARY_COOKIES = {"sessionid", "csrftoken", "oscar_open_basket", "messages"}


@pytest.fixture
def info_pages(db):
    pages_sync(specs=page_specs())
    return [url for _name, url in FOOTER_LINKS]


def test_every_page_shows_the_trader_and_the_seven_links_and_each_page_holds_its_facts(
    browser, live_server, storefront, storefront_pages, info_pages
):
    trader = settings.SHOP_TRADER
    page = browser.new_context().new_page()
    every_page = [
        *storefront_pages.values(),
        "/catalogue/",
        "/search/?q=rose",
        "/ingredients/magnesium-chloride/",
        "/accounts/login/",
        "/checkout/",
        "/no-such-page/",
        *info_pages,
    ]
    for path in every_page:
        page.goto(live_server.url + path)
        footer = page.locator("footer")
        line = footer.locator(".trader-line")
        for fact in ("name", "company_number", "vat_number", "address", "email", "phone"):
            expect(line).to_contain_text(trader[fact])
        links = footer.get_by_role("navigation", name="Shop information").get_by_role("link")
        assert [(a.inner_text(), a.get_attribute("href")) for a in links.all()] == FOOTER_LINKS, (
            path
        )

    for url, facts in FACTS.items():
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        main = page.locator("main").inner_text()
        for fact in facts:
            assert fact in main, (url, fact)


def test_the_new_pages_have_no_axe_violations(browser, live_server, storefront, axe_script):
    cache.clear()  # the contact form's rate limit, counted by other tests' clients
    pages_sync(specs=page_specs())
    for viewport in ({"width": 412, "height": 823}, {"width": 1280, "height": 900}):
        # axe is injected as an inline script, which the shop's CSP refuses.
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        audit = Audit(context.new_page(), axe_script)
        for name, url in FOOTER_LINKS:
            audit.page.goto(live_server.url + url)
            audit.check(f"{name} at {viewport['width']}px")
        # The contact form with its errors shown.
        audit.page.goto(live_server.url + "/contact/")
        audit.page.get_by_role("button", name="Send message").click()
        expect(audit.page.get_by_text("Please tell us your name.")).to_be_visible()
        audit.check(f"contact form with errors at {viewport['width']}px")
        # The browser reports the form's 400 status; nothing else may be in the console.
        assert audit.errors == [
            "Failed to load resource: the server responded with a status of 400 (Bad Request)"
        ]
        audit.errors.clear()
        audit.assert_clean()
        context.close()


def test_an_anonymous_purchase_sets_only_the_necessary_cookies_and_agrees_to_pay(
    browser, live_server, storefront, axe_script, reference_data
):
    """Home → product → basket → checkout → thank-you, then the order's own page."""
    pages_sync(specs=page_specs())
    context = browser.new_context(viewport={"width": 412, "height": 823}, bypass_csp=True)
    page = context.new_page()
    audit = Audit(page, axe_script)

    page.goto(live_server.url + "/")
    add_to_basket(page, live_server.url, storefront, "Rose")
    checkout_as_guest(page, live_server.url)

    agreement = page.locator("[data-checkout-agreement]")
    for text in (
        "Rose",
        "100 ml jar",
        "including VAT",
        "UK Standard",
        "bank transfer",
        "14 days",
        "company number",
    ):
        expect(agreement).to_contain_text(text)
    button = page.get_by_role("button", name="Place order and pay", exact=True)
    expect(button).to_be_visible()
    audit.check("preview")
    button.click()

    expect(page).to_have_url(live_server.url + "/checkout/thank-you/")
    names = {cookie["name"] for cookie in context.cookies()}
    assert names <= NECESSARY_COOKIES, names - NECESSARY_COOKIES
    cookies_page = FlatPage.objects.get(url="/cookies/").content
    for name in names:
        assert f"<code>{name}</code>" in cookies_page

    # The guest's order page (the link in the confirmation e-mail).
    from oscar.core.loading import get_model

    from shop.returns.links import order_manage_path

    order = get_model("order", "Order").objects.get()
    page.goto(live_server.url + order_manage_path(order))
    audit.check("order page")
    page.get_by_role("button", name="Cancel this order").click()
    expect(page.locator("[data-order-status]")).to_have_text("Cancelled")
    audit.check("order page, cancelled")
    audit.assert_clean()
    context.close()


def test_lighthouse_scores_at_least_95_on_the_new_pages(
    browser, live_server, storefront, lighthouse_cli
):
    pages_sync(specs=page_specs())
    cookie = basket_cookie(browser, live_server.url, storefront, "Rose")
    with urllib.request.urlopen(live_server.url + "/terms/") as response:
        assert response.status == 200

    assert_lighthouse_scores(lighthouse_cli, live_server.url, dict(FOOTER_LINKS), cookie=cookie)

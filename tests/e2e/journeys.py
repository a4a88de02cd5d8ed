"""A shopper's way through the storefront in Debian's chromium, step by step: the browser
tests walk it with these and keep only what they assert."""

import re

from playwright.sync_api import expect

# Where every guest in the browser tests has their jars sent, by the form's labels.
ADDRESS = {
    "First name": "Ann",
    "Last name": "Shopper",
    "First line of address": "1 High Street",
    "City": "London",
    "Post/Zip-code": "SW1A 1AA",
}


def no_visit(name):
    pass


def visible_panel(page):
    """The product page's panel of the chosen fragrance."""
    return page.locator("section.variant-panel:visible")


def pick_fragrance(page, fragrance):
    page.get_by_role("radio", name=re.compile("^" + re.escape(fragrance))).check()


def add_to_basket(page, base_url, product, fragrance, *, quantity=1, visit=no_visit):
    """On `product`'s page, pick `fragrance` and put `quantity` jars of it in the basket.
    `visit(name)` is called with the fragrance picked and with the page's message shown."""
    page.goto(base_url + product.get_absolute_url())
    pick_fragrance(page, fragrance)
    visit("product page, fragrance picked")
    panel = visible_panel(page)
    if quantity != 1:
        panel.get_by_label("Quantity").fill(str(quantity))
    panel.get_by_role("button", name=f"Add {fragrance} to basket").click()
    expect(page.get_by_text(re.compile("added to your basket")).first).to_be_visible()
    visit("product page with a message")


def checkout_as_guest(page, base_url, *, email="guest@example.com", visit=None):
    """From the basket to the order's preview as a guest (ADDRESS, the first delivery
    option, the payment the shop offers). `visit(name)` is called on each page as it is
    reached, for the audits: with it, the walk also tries the address form empty once,
    so that they see its errors too."""
    step = visit or no_visit
    page.goto(base_url + "/basket/")
    expect(page.locator("#basket_formset")).to_be_visible()
    step("basket with an item")
    page.get_by_role("link", name="Proceed to checkout").click()

    expect(page).to_have_url(base_url + "/checkout/")
    step("gateway")
    page.get_by_label("My email address is").fill(email)
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(base_url + "/checkout/shipping-address/")
    step("shipping address")
    if visit:
        page.get_by_role("button", name="Continue").click()  # the browser's own messages
        step("shipping address with errors")
    for label, value in ADDRESS.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(base_url + "/checkout/shipping-method/")
    expect(page.get_by_text("UK Standard")).to_be_visible()
    step("delivery")
    page.get_by_role("button", name="Select option").first.click()

    expect(page).to_have_url(base_url + "/checkout/preview/")
    step("preview")

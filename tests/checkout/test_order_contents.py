"""The checkout preview and the thank-you page show the order's contents from one partial
(templates/shop/partials/order_contents.html): headings, each line, then the totals."""

import re

import pytest
from django.urls import reverse

from tests.checkout.helpers import place_order, preview, ready_to_place

pytestmark = pytest.mark.django_db


def contents(html):
    """The order contents: from the column headings to the end of the totals table."""
    start = html.index('<div class="basket-title">')
    return html[start : html.index("</table>", start)]


def lines(html):
    return re.findall(
        r'<div class="basket-items">.*?<h3><a href="[^"]+">([^<]+)</a></h3>(.*?)</div>'
        r'\s*<div class="col-sm-1 text-center">\s*(\d+)\s*</div>'
        r'\s*<div class="col-sm-2 text-right">\s*<p class="price_color">([^<]+)</p>',
        html,
        re.S,
    )


def test_the_preview_shows_the_basket_lines_and_totals(client, lavender, clary):
    ready_to_place(client, lavender, 1)
    client.post(reverse("basket:add", kwargs={"pk": clary.pk}), {"quantity": 1})

    html = contents(preview(client).content.decode())

    assert '<p class="col-sm-9 h4">Item</p>' in html
    assert [(title, qty, total) for title, _, qty, total in lines(html)] == [
        ("Magnesium Body Cream – Lavender", "1", "£18.00"),
        ("Magnesium Body Cream – Clary Sage", "1", "£18.00"),
    ]
    notes = [note for _, note, _, _ in lines(html)]
    assert '<p class="availability instock">In stock</p>' in notes[0]
    assert "Only 4 left" in notes[1]
    assert '<th class="total">UK Standard</th>' in html
    assert '<th class="total text-right">£3.95</th>' not in html  # £36: delivery is free
    assert '<h3 class="price_color">£36.00</h3>' in html


def test_the_thank_you_page_shows_the_order_lines_and_totals(client, lavender):
    ready_to_place(client, lavender, 1)
    place_order(client)

    html = contents(client.get(reverse("checkout:thank-you")).content.decode())

    assert '<p class="col-sm-9 h4">Items purchased</p>' in html
    [(title, note, qty, total)] = lines(html)
    assert (title, qty, total) == ("Magnesium Body Cream – Lavender", "1", "£18.00")
    assert "availability" not in note  # what was bought, not what is in stock now
    assert '<th class="total">Shipping charge</th>' in html
    assert '<th class="total text-right">£3.95</th>' in html
    assert '<h3 class="price_color">£21.95</h3>' in html

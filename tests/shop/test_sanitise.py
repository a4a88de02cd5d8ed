"""Staff-typed HTML formats text on the storefront but never runs script (shop/sanitise.py)."""

import pytest

from shop.sanitise import sanitise_html
from tests.factories import HOSTILE_HTML, create_staff_html_pages

pytestmark = pytest.mark.django_db

# What would run or restyle the page; the script's text may still be shown
# (a meta description is the description with its tags stripped, escaped).
INERT = ["<script>", "onclick=", "onerror=", 'href="javascript:', "<iframe", "<style"]


def test_the_sanitiser_keeps_formatting_and_drops_script():
    clean = sanitise_html(HOSTILE_HTML)

    assert "<p>Kept <strong>bold</strong> and <em>emphasis</em></p>" in clean
    assert "a link" in clean
    for bad in [*INERT, "__owned"]:
        assert bad not in clean


def test_the_guide_uses_the_same_sanitiser():
    from shop.blog import rendering

    assert rendering.sanitise_html is sanitise_html


@pytest.mark.parametrize(
    "place", ["stand-alone product", "category", "flat page", "offer", "offers list", "range"]
)
def test_each_place_staff_type_html_shows_it_sanitised(client, place):
    url = create_staff_html_pages()[place]

    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Kept <strong>bold</strong> and <em>emphasis</em>" in html
    for bad in INERT:
        assert bad not in html, (place, bad)

"""The shop's own 404 and 500 pages."""

import pytest
from django.template.loader import render_to_string


@pytest.mark.django_db
def test_an_unknown_address_gets_the_shops_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/blog/"' in html
    assert "javascript:" not in html


def test_the_500_page_renders_with_nothing_but_its_template():
    # Django renders it with an empty context, without the database.
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert "shop.css" in html

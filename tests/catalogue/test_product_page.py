import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import FIVE_FRAGRANCES, add_variant, create_cream, create_standalone

pytestmark = pytest.mark.django_db

FIVE = FIVE_FRAGRANCES


class Page(HTMLParser):
    """The parts of a product page the tests look at, parsed from the real HTML."""

    def __init__(self, html):
        super().__init__()
        self.radios, self.panels, self.images, self.srcs = [], {}, {}, []
        self.legends, self._stack, self._legend = [], [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "radio" and attrs.get("name") == "fragrance":
            self.radios.append(attrs)
        if tag == "section" and "data-variant" in attrs:
            self.panels[attrs["data-variant"]] = "hidden" in attrs
        if tag == "figure" and "data-variant" in attrs:
            self.images[attrs["data-variant"]] = "hidden" in attrs
        if tag == "legend":
            self._legend = True
        for name in ("src", "href", "srcset"):
            if attrs.get(name):
                self.srcs.append(attrs[name])

    def handle_data(self, data):
        if self._legend and data.strip():
            self.legends.append(data.strip())

    def handle_endtag(self, tag):
        if tag == "legend":
            self._legend = False


def visible_text(html):
    """The page's text without hidden variant panels."""
    html = re.sub(r"<section[^>]*data-variant[^>]*hidden.*?</section>", "", html, flags=re.S)
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def children(cream):
    return {
        c.attr.fragrance if hasattr(c.attr, "fragrance") else c.title: c
        for c in cream.children.order_by("id")
    }


def test_parent_page_has_a_fragrance_picker_with_five_options(client, cream):
    response = client.get(cream.get_absolute_url())

    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.legends == ["Fragrance"]
    assert [r["value"] for r in page.radios] == [str(c.pk) for c in cream.children.order_by("id")]
    html = response.content.decode()
    for name, message in [
        ("Lavender", "In stock"),
        ("Rose", "In stock"),
        ("Clary Sage", "Only 4 left"),
        ("Jasmine", "Sold out"),
        ("Cypress &amp; Fir Needle", "In stock"),
    ]:
        assert re.search(
            rf'fragrance-name">{re.escape(name)}</span>\s*<span class="availability \w+">'
            rf"{message}</span>",
            html,
        ), name


def test_stock_is_never_shown_as_a_raw_count_above_the_threshold(client, cream):
    html = client.get(cream.get_absolute_url()).content.decode()

    assert "40" not in visible_text(html).replace("£18.00", "")
    assert "available)" not in html
    assert 'max="40"' in html  # the quantity input may know the limit; the text does not


def test_parent_page_opens_on_the_first_fragrance_that_can_be_bought(client, media):
    cream = create_cream((("Jasmine", 0), ("Rose", 3)))
    jasmine, rose = cream.children.order_by("id")

    page = Page(client.get(cream.get_absolute_url()).content.decode())

    assert [r["value"] for r in page.radios if "checked" in r] == [str(rose.pk)]
    assert page.panels == {str(jasmine.pk): True, str(rose.pk): False}


def test_child_url_opens_the_same_page_with_that_fragrance_chosen(client, cream):
    clary = cream.children.get(title__endswith="Clary Sage")

    response = client.get(clary.get_absolute_url())

    assert response.status_code == 200
    page = Page(response.content.decode())
    assert [r["value"] for r in page.radios if "checked" in r] == [str(clary.pk)]
    assert [pk for pk, hidden in page.panels.items() if not hidden] == [str(clary.pk)]
    assert [pk for pk, hidden in page.images.items() if not hidden] == [str(clary.pk)]
    text = visible_text(response.content.decode())
    assert "Clary Sage description." in text
    assert "Only 4 left" in text
    assert "£18.00" in text
    assert f'<link rel="canonical" href="http://testserver{clary.get_absolute_url()}">' in (
        response.content.decode()
    )


def test_each_variant_panel_adds_that_variant_to_the_basket(client, cream):
    html = client.get(cream.get_absolute_url()).content.decode()

    for child in cream.children.exclude(stockrecords__num_in_stock=0):
        action = reverse("basket:add", kwargs={"pk": child.pk})
        form = re.search(rf'<form action="{action}" method="post".*?</form>', html, re.S)
        assert form, child.title
        assert 'name="csrfmiddlewaretoken"' in form.group(0)
        assert 'name="quantity"' in form.group(0)


def test_sold_out_fragrance_offers_a_stock_alert_instead_of_the_basket(client, cream):
    jasmine = cream.children.get(title__endswith="Jasmine")

    html = client.get(jasmine.get_absolute_url()).content.decode()

    panel = re.search(rf'<section[^>]*data-variant="{jasmine.pk}".*?</section>', html, re.S).group(
        0
    )
    assert reverse("customer:alert-create", kwargs={"pk": jasmine.pk}) in panel
    assert 'name="email"' in panel
    assert reverse("basket:add", kwargs={"pk": jasmine.pk}) not in panel
    assert "Sold out" in panel


def test_sold_out_alert_form_creates_an_alert_for_the_child(client, cream):
    from oscar.apps.customer.models import ProductAlert

    jasmine = cream.children.get(title__endswith="Jasmine")
    url = reverse("customer:alert-create", kwargs={"pk": jasmine.pk})

    response = client.post(url, {"email": "shopper@example.com"})

    assert response.status_code == 302
    assert ProductAlert.objects.filter(product=jasmine, email="shopper@example.com").count() == 1


def test_without_javascript_the_picker_form_leads_to_the_child(client, cream):
    rose = cream.children.get(title__endswith="Rose")

    response = client.get(cream.get_absolute_url(), {"fragrance": rose.pk})

    assert response.status_code == 302
    assert response["Location"] == rose.get_absolute_url()


@pytest.mark.parametrize("value", ["abc", "-1", "0", "999999999", ""])
def test_a_fragrance_that_does_not_exist_gets_a_clear_message(client, cream, value):
    response = client.get(cream.get_absolute_url(), {"fragrance": value})

    assert response.status_code == 200
    assert "That fragrance is not available" in response.content.decode()


def test_another_products_child_is_not_a_fragrance_of_this_one(client, cream):
    other = create_cream((("Lavender", 1),), images=False)
    stranger = other.children.get()

    response = client.get(cream.get_absolute_url(), {"fragrance": stranger.pk})

    assert response.status_code == 200
    assert "That fragrance is not available" in response.content.decode()


def test_private_child_is_not_offered(client, cream):
    rose = cream.children.get(title__endswith="Rose")
    rose.is_public = False
    rose.save()

    page = Page(client.get(cream.get_absolute_url()).content.decode())

    assert str(rose.pk) not in [r["value"] for r in page.radios]
    assert client.get(rose.get_absolute_url()).status_code == 404


def test_product_page_loads_nothing_from_other_hosts(client, cream):
    html = client.get(cream.get_absolute_url()).content.decode()

    external = [src for src in Page(html).srcs if re.match(r"^(https?:)?//", src)]
    assert [src for src in external if not src.startswith("http://testserver")] == []


def test_images_are_webp_thumbnails_with_their_size(client, cream):
    html = client.get(cream.get_absolute_url()).content.decode()

    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 5
    for img in images:
        assert re.search(r'src="/media/cache/thumbnails/[^"]+\.webp"', img)
        assert re.search(r'srcset="[^"]+ 480w, [^"]+ 600w"', img)  # never upscaled past 600
        assert 'width="480"' in img
        assert 'height="480"' in img


def test_a_missing_or_broken_image_file_does_not_break_the_page(client, cream):
    lavender, rose = cream.children.order_by("id")[:2]
    lavender_image = lavender.images.get()
    lavender_image.original.storage.delete(lavender_image.original.name)
    rose_image = rose.images.get()
    with open(rose_image.original.path, "wb") as broken:
        broken.write(b"not an image")

    response = client.get(cream.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("/static/shop/img/placeholder.svg") >= 2


@pytest.mark.parametrize("which", ["parent", "child"])
def test_product_page_query_budget(
    client, cream, django_assert_max_num_queries, django_capture_on_commit_callbacks, which
):
    from shop.analytics import views

    product = cream if which == "parent" else cream.children.order_by("id").last()

    # Nothing left for after commit: the view is counted in memory (shop/analytics.py).
    with (
        django_assert_max_num_queries(12),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        assert client.get(product.get_absolute_url()).status_code == 200
    assert callbacks == []
    assert views.waiting() == 1


@pytest.mark.parametrize("which", ["parent", "child"])
def test_a_sixth_variant_adds_no_query(client, cream, count_queries, which):
    product = cream if which == "parent" else cream.children.order_by("id").first()

    five = count_queries(client, product.get_absolute_url())
    add_variant(cream, "Neroli", 10)
    assert count_queries(client, product.get_absolute_url()) == five


def test_standalone_products_keep_oscars_page(client, media):
    product = create_standalone("Gift card", 3)

    response = client.get(product.get_absolute_url())

    assert response.status_code == 200
    assert "Gift card" in response.content.decode()


def test_staff_entered_descriptions_cannot_run_scripts(client, cream):
    rose = cream.children.get(title__endswith="Rose")
    rose.description = '<p onclick="steal()">Rose <strong>soft</strong></p><script>steal()</script>'
    rose.save()

    html = client.get(rose.get_absolute_url()).content.decode()

    assert "<p>Rose <strong>soft</strong></p>" in html
    assert "<script>steal()" not in html
    assert 'onclick="steal()"' not in html

"""Staff edit ingredients and each product's lines in the dashboard; the shop follows."""

import re
from html import unescape

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import add_formula

pytestmark = pytest.mark.django_db

Ingredient = get_model("catalogue", "Ingredient")
ProductIngredient = get_model("catalogue", "ProductIngredient")


@pytest.fixture
def cream(cream):
    return add_formula(cream)


def lines_url(product):
    return reverse("ingredient-dashboard:label-lines", args=[product.pk])


def own_lines(product):
    return list(
        product.ingredient_lines.order_by("position").values_list(
            "position", "ingredient__inci_name", "section"
        )
    )


def post_lines(client, product, rows):
    data = {
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"lines-{index}-{name}"] = value
    return client.post(lines_url(product), data)


def row(position, name, section, **extra):
    return {"position": str(position), "ingredient": name, "section": section, **extra}


def inci_line_on_the_shop(client, product):
    html = client.get(product.get_absolute_url()).content.decode()
    section = re.search(rf'<section[^>]*data-variant="{product.pk}".*?</section>', html, re.S)
    return unescape(re.search(r"data-inci-line>(.*?)</p>", section.group(0)).group(1))


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/ingredients/",
        "/dashboard/ingredients/add/",
        "/dashboard/ingredients/labels/",
    ],
)
def test_only_staff_get_in(client, admin_client, cream, url, django_user_model):
    assert client.get(url).status_code == 302
    assert admin_client.get(url).status_code == 200
    customer = django_user_model.objects.create_user("c", "c@example.com", "pw-for-tests-only")
    client.force_login(customer)
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, {"inci_name": "Hacked"}).status_code in (302, 403)


def test_the_dashboard_menu_offers_ingredients_and_labels(admin_client):
    html = admin_client.get("/dashboard/").content.decode()

    assert 'href="/dashboard/ingredients/"' in html
    assert 'href="/dashboard/ingredients/labels/"' in html


def test_staff_add_and_edit_an_ingredient(admin_client, cream, rose):
    response = admin_client.post(
        "/dashboard/ingredients/add/",
        {
            "inci_name": "Xanthan Gum",
            "slug": "xanthan-gum",
            "common_name": "Xanthan gum",
            "function": "Thickener",
            "reason": "",
        },
    )
    assert response.status_code == 302
    geraniol = Ingredient.objects.get(inci_name="Geraniol")

    admin_client.post(
        reverse("ingredient-dashboard:ingredient-update", args=[geraniol.pk]),
        {
            "inci_name": "Geraniol",
            "slug": "geraniol",
            "common_name": "Geraniol (from rose)",
            "function": "Fragrance component",
            "is_allergen": "on",
            "reason": "",
        },
    )

    assert Ingredient.objects.get(inci_name="Xanthan Gum").function == "Thickener"
    html = admin_client.get(rose.get_absolute_url()).content.decode()
    assert "Geraniol (from rose)" in html


def test_a_duplicate_inci_name_is_a_form_error(admin_client, cream):
    response = admin_client.post(
        "/dashboard/ingredients/add/",
        {"inci_name": "Aqua", "slug": "aqua-2", "common_name": "W", "function": "Solvent"},
    )

    assert response.status_code == 200
    assert "Ingredient with this INCI name already exists." in response.content.decode()
    assert Ingredient.objects.filter(inci_name="Aqua").count() == 1


def test_the_lines_page_shows_the_current_lines(admin_client, rose):
    html = admin_client.get(lines_url(rose)).content.decode()

    assert 'value="Rosa Damascena Flower Oil"' in html
    assert 'name="lines-TOTAL_FORMS" value="10"' in html  # 7 lines and 3 blank
    assert '<option value="base"' not in html  # a fragrance holds no base lines


def test_staff_add_remove_and_reorder_a_fragrances_lines(admin_client, client, rose):
    response = post_lines(
        admin_client,
        rose,
        [
            row(1, "Rosa Damascena Flower Oil", "fragrance"),
            row(2, "Linalool", "allergen"),  # moved up
            row(3, "Geraniol", "allergen"),
            row(4, "Citral", "allergen", DELETE="on"),  # removed
            row(4, "Coumarin", "allergen"),  # added
        ],
    )

    assert response.status_code == 302
    assert own_lines(rose) == [
        (1, "Rosa Damascena Flower Oil", "fragrance"),
        (2, "Linalool", "allergen"),
        (3, "Geraniol", "allergen"),
        (4, "Coumarin", "allergen"),
    ]
    assert inci_line_on_the_shop(client, rose).endswith(
        "Rosa Damascena Flower Oil, Benzyl Alcohol, Tocopherol, Linalool*, Geraniol*, Coumarin*"
    )


def test_a_change_to_the_base_formula_shows_on_every_fragrance(admin_client, client, cream):
    post_lines(
        admin_client,
        cream,
        [
            row(1, "Aqua", "base"),
            row(2, "Magnesium Chloride", "base", percent="25"),
            row(3, "Tocopherol", "minor"),
        ],
    )

    for child in cream.children.all():
        line = inci_line_on_the_shop(client, child)
        assert line.startswith("Aqua, Magnesium Chloride, ")
        assert "Glycerin" not in line
        assert "Benzyl Alcohol" not in line


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [row(1, "Rosa Damascena Flower Oil", "fragrance"), row(2, "Unobtainium", "allergen")],
            "Unknown ingredient “Unobtainium”",
        ),
        (
            [row(1, "Rosa Damascena Flower Oil", "fragrance"), row(2, "Linalool", "allergen"),
             row(3, "Linalool", "allergen")],
            "Linalool is listed twice.",
        ),
        (
            [row(1, "Rosa Damascena Flower Oil", "fragrance"), row(3, "Linalool", "allergen")],
            "Positions must run 1, 2, 3… with no gap; missing: 2.",
        ),
        (
            [row(1, "Rosa Damascena Flower Oil", "fragrance"), row(2, "Aqua", "base")],
            "Select a valid choice. base is not one of the available choices.",
        ),
        (
            [row(0, "Rosa Damascena Flower Oil", "fragrance")],
            "Ensure this value is greater than or equal to 1.",
        ),
    ],
    ids=["unknown", "duplicate", "gap", "base-on-a-fragrance", "position-0"],
)  # fmt: skip
def test_bad_lines_get_a_clear_error_and_save_nothing(admin_client, client, rose, rows, message):
    before = own_lines(rose)
    shop_before = inci_line_on_the_shop(client, rose)

    response = post_lines(admin_client, rose, rows)

    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert own_lines(rose) == before
    assert inci_line_on_the_shop(client, rose) == shop_before


def test_an_unknown_product_is_a_404(admin_client):
    assert admin_client.get("/dashboard/ingredients/labels/999999/lines/").status_code == 404
    assert admin_client.get("/dashboard/ingredients/labels/999999/label.txt").status_code == 404


def test_the_labels_page_shows_every_fragrance_checked(admin_client, cream, rose):
    rose.ingredient_lines.filter(section="fragrance").delete()

    html = admin_client.get("/dashboard/ingredients/labels/").content.decode()

    row_html = re.search(rf'<tr data-product="{rose.pk}">.*?</tr>', html, re.S).group(0)
    assert "no essential oil" in row_html
    assert reverse("ingredient-dashboard:label-text", args=[rose.pk]) in row_html


def test_staff_download_a_fragrances_pack_text(admin_client, client, rose, settings):
    settings.SHOP_RESPONSIBLE_PERSON = "Cream Ltd, 2 Road, London, care@cream.example"
    url = reverse("ingredient-dashboard:label-text", args=[rose.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{rose.pk}-label.txt"'
    text = response.content.decode()
    assert text.startswith("Magnesium Body Cream – Rose\n100 ml\n")
    assert "\nIngredients: Aqua, Magnesium Chloride, Glycerin, Rosa Damascena Flower Oil," in text
    assert "\n*naturally occurring in essential oils\n" in text
    assert "Warnings: For external use only." in text
    assert "Period after opening: 12M" in text
    assert text.endswith("Responsible Person: Cream Ltd, 2 Road, London, care@cream.example\n")
    assert client.get(url).status_code == 302  # shoppers are sent to log in

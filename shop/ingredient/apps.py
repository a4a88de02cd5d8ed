from shop.dashboard.pages import DashboardPagesConfig


class IngredientDashboardConfig(DashboardPagesConfig):
    """Staff pages for ingredients, each product's ingredient lines and the pack text.

    The models live in the forked catalogue app; these are only the dashboard
    pages, mounted at /dashboard/ingredients/ (shop/urls.py).
    """

    name = "shop.ingredient"
    label = "ingredient"
    verbose_name = "Ingredients dashboard"
    namespace = "ingredient-dashboard"
    default_permissions = ["is_staff"]

    url_prefix = "ingredients"
    pages = (
        ("", "IngredientListView", "ingredient-list"),
        ("add/", "IngredientCreateView", "ingredient-create"),
        ("<int:pk>/", "IngredientUpdateView", "ingredient-update"),
        ("labels/", "LabelListView", "label-list"),
        ("labels/<int:pk>/lines/", "ProductLinesView", "label-lines"),
        ("labels/<int:pk>/label.txt", "LabelTextView", "label-text"),
    )

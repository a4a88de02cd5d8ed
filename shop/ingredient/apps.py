from django.urls import path
from oscar.core.application import OscarDashboardConfig


class IngredientDashboardConfig(OscarDashboardConfig):
    """Staff pages for ingredients, each product's ingredient lines and the pack text.

    The models live in the forked catalogue app; these are only the dashboard
    pages, mounted at /dashboard/ingredients/ (shop/urls.py).
    """

    name = "shop.ingredient"
    label = "ingredient"
    verbose_name = "Ingredients dashboard"
    namespace = "ingredient-dashboard"
    default_permissions = ["is_staff"]

    def get_urls(self):
        from shop.ingredient import views

        return self.post_process_urls(
            [
                path("", views.IngredientListView.as_view(), name="ingredient-list"),
                path("add/", views.IngredientCreateView.as_view(), name="ingredient-create"),
                path("<int:pk>/", views.IngredientUpdateView.as_view(), name="ingredient-update"),
                path("labels/", views.LabelListView.as_view(), name="label-list"),
                path(
                    "labels/<int:pk>/lines/",
                    views.ProductLinesView.as_view(),
                    name="label-lines",
                ),
                path(
                    "labels/<int:pk>/label.txt",
                    views.LabelTextView.as_view(),
                    name="label-text",
                ),
            ]
        )

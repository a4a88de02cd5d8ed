"""The storefront's ingredient pages, at /ingredients/ (see shop/urls.py)."""

from django.urls import path

from catalogue.views import IngredientDetailView, IngredientListView

app_name = "ingredients"

urlpatterns = [
    path("", IngredientListView.as_view(), name="ingredient-list"),
    path("<slug:slug>/", IngredientDetailView.as_view(), name="ingredient-detail"),
]

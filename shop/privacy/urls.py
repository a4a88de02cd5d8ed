from django.urls import path

from shop.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.YourDataView.as_view(), name="your-data"),
    path("export.json", views.ExportView.as_view(), name="export"),
]

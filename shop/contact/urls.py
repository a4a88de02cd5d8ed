from django.urls import path

from shop.contact.views import ContactView

app_name = "contact"

urlpatterns = [path("", ContactView.as_view(), name="form")]

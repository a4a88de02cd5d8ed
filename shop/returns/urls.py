from django.urls import path

from shop.returns import views

app_name = "returns"

urlpatterns = [
    path("<str:number>/", views.CustomerOrderView.as_view(), name="order"),
    path("<str:number>/<str:token>/", views.GuestOrderView.as_view(), name="guest-order"),
]

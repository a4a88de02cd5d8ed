from django.urls import path

from shop.payment import views

app_name = "payment"

urlpatterns = [
    path("checkout/pay/", views.PayView.as_view(), name="pay"),
    path("checkout/payment/", views.PaymentCancelledView.as_view(), name="cancelled"),
    path("checkout/stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
    path("dashboard/orders/<str:number>/refund/", views.RefundView.as_view(), name="refund"),
]

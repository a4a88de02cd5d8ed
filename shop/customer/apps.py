import oscar.apps.customer.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CustomerConfig(apps.CustomerConfig):
    """Oscar's customer app, forked for registration by e-mailed link: the sign-up form
    answers the same for every address, and the account is made when the link is opened
    (shop/customer/services.py)."""

    name = "shop.customer"

    def ready(self):
        super().ready()
        self.register_confirm_view = get_class("customer.views", "SignupConfirmView")

    def get_urls(self):
        urls = [
            path(
                "register/confirm/<str:token>/",
                self.register_confirm_view.as_view(),
                name="register-confirm",
            ),
        ]
        return urls + super().get_urls()

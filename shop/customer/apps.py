import oscar.apps.customer.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CustomerConfig(apps.CustomerConfig):
    """Oscar's customer app, forked for registration by e-mailed link: the sign-up form
    answers the same for every address, and the account is made when the link is opened
    (shop/customer/services.py). A new e-mail address on the profile is likewise made
    only from a link sent to it."""

    name = "shop.customer"

    def ready(self):
        super().ready()
        self.register_confirm_view = get_class("customer.views", "SignupConfirmView")
        self.email_change_confirm_view = get_class("customer.views", "EmailChangeConfirmView")

    def get_urls(self):
        urls = [
            path(
                "register/confirm/<str:token>/",
                self.register_confirm_view.as_view(),
                name="register-confirm",
            ),
            path(
                "profile/email/confirm/<str:token>/",
                self.email_change_confirm_view.as_view(),
                name="email-change-confirm",
            ),
        ]
        return urls + super().get_urls()

from django.urls import path
from oscar.core.application import OscarDashboardConfig


class MailConfig(OscarDashboardConfig):
    """The outbox of every e-mail the shop sends, and its staff page (/dashboard/emails/)."""

    name = "shop.mail"
    label = "mail"
    verbose_name = "E-mail"
    namespace = "mail-dashboard"
    # E-mails hold customers' names and addresses: staff who may view them; sending one
    # again is a permission of its own (superusers have both).
    default_permissions = ["is_staff", "mail.view_outgoingemail"]
    permissions_map = {
        "email-list": ["is_staff", "mail.view_outgoingemail"],
        "email-detail": ["is_staff", "mail.view_outgoingemail"],
        "email-resend": ["is_staff", "mail.resend_outgoingemail"],
    }

    def get_urls(self):
        from shop.mail import views

        return self.post_process_urls(
            [
                path("", views.EmailListView.as_view(), name="email-list"),
                path("<int:pk>/", views.EmailDetailView.as_view(), name="email-detail"),
                path("<int:pk>/resend/", views.EmailResendView.as_view(), name="email-resend"),
            ]
        )

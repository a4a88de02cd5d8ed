from django.urls import path
from oscar.core.application import OscarDashboardConfig


class ContactConfig(OscarDashboardConfig):
    """The contact form (/contact/) and the staff list of its messages (/dashboard/contact/)."""

    name = "shop.contact"
    label = "contact"
    verbose_name = "Contact"
    namespace = "contact-dashboard"
    default_permissions = ["is_staff"]

    def get_urls(self):
        from shop.contact import views

        return self.post_process_urls(
            [path("", views.ContactMessageListView.as_view(), name="message-list")]
        )

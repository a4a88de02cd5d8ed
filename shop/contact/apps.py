from shop.dashboard.pages import DashboardPagesConfig


class ContactConfig(DashboardPagesConfig):
    """The contact form (/contact/) and the staff list of its messages (/dashboard/contact/)."""

    name = "shop.contact"
    label = "contact"
    verbose_name = "Contact"
    namespace = "contact-dashboard"
    default_permissions = ["is_staff"]

    url_prefix = "contact"
    pages = (("", "ContactMessageListView", "message-list"),)

from shop.dashboard.pages import DashboardPagesConfig


class MailConfig(DashboardPagesConfig):
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

    url_prefix = "emails"
    pages = (
        ("", "EmailListView", "email-list"),
        ("<int:pk>/", "EmailDetailView", "email-detail"),
        ("<int:pk>/resend/", "EmailResendView", "email-resend"),
    )

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Customers' own data: download it, delete the account; and its retention (a timed job)."""

    name = "shop.privacy"
    label = "privacy"
    verbose_name = "Privacy"

from django.apps import AppConfig


class TraderConfig(AppConfig):
    """Who sells the cream: the trader's identity on every page and e-mail, and the shop's
    information pages (terms, delivery, returns, privacy, cookies, accessibility) as
    staff-editable flat pages."""

    name = "shop.trader"
    label = "trader"
    verbose_name = "Trader"

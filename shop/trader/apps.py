from django.apps import AppConfig


class TraderConfig(AppConfig):
    """Who sells the cream: the trader's identity on every page and e-mail, and the shop's
    information pages (terms, delivery, returns, privacy, cookies, accessibility) as
    staff-editable flat pages."""

    name = "shop.trader"
    label = "trader"
    verbose_name = "Trader"

    def ready(self):
        _no_recently_viewed_cookie()


def _no_recently_viewed_cookie():
    """The shop sets only strictly necessary cookies (the Cookies page), so it needs no
    consent banner. Oscar's "recently viewed products" cookie (oscar_history, a year) is
    not necessary for anything a shopper asks for: its receiver is disconnected."""
    from oscar.apps.catalogue.signals import product_viewed
    from oscar.apps.customer import receivers

    product_viewed.disconnect(receivers.receive_product_view)

import oscar.apps.payment.apps as apps


class PaymentConfig(apps.PaymentConfig):
    """Oscar's payment app, forked: its sources and transactions stay where Oscar keeps
    them, and card payments (Stripe Checkout), refunds and the limits on unpaid orders
    are added beside them (shop/payment/services.py)."""

    name = "shop.payment"

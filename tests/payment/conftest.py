import pytest

from tests.payment.stripe_server import FakeStripe


@pytest.fixture
def stripe_server(settings):
    """The Stripe-compatible server on loopback, with the shop's keys pointing at it."""
    server = FakeStripe()
    settings.STRIPE_SECRET_KEY = server.api_key
    settings.STRIPE_WEBHOOK_SECRET = server.webhook_secret
    settings.STRIPE_API_BASE = server.url
    yield server
    server.close()

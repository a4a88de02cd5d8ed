import pytest
from django.contrib.auth.hashers import MD5PasswordHasher


class CountingHasher(MD5PasswordHasher):
    """Django's test hasher, counting how often a password is hashed."""

    count = 0

    def encode(self, password, salt):
        type(self).count += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = ["tests.signin.conftest.CountingHasher"]
    CountingHasher.count = 0
    return CountingHasher


@pytest.fixture(autouse=True)
def _no_lockouts_between_tests():
    from axes.utils import reset

    reset()
    yield
    reset()

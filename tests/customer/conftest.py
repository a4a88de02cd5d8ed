import pytest


@pytest.fixture
def ann(django_user_model):
    return django_user_model.objects.create_user("ann", "ann@example.com", "anns-own-password-1")

import pytest


@pytest.fixture(autouse=True)
def _no_lockouts_between_tests():
    from axes.utils import reset

    reset()
    yield
    reset()

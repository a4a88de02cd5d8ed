import pytest


@pytest.fixture
def record(clary):
    """Clary Sage's stock record: 4 jars received through the ledger, none held."""
    return clary.stockrecords.get()

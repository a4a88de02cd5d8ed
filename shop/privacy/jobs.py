"""The timed jobs of SHOP_JOBS for personal data."""

from shop.privacy.services import personal_data_erase as _erase


def personal_data_erase() -> str:
    """Daily: erase personal data whose retention period has ended."""
    return _erase()

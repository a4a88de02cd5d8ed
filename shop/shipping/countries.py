"""The shop delivers to UK addresses only (STORE.md)."""

UK = {
    "iso_3166_1_a3": "GBR",
    "iso_3166_1_numeric": "826",
    "printable_name": "United Kingdom",
    "name": "United Kingdom of Great Britain and Northern Ireland",
    "display_order": 0,
    "is_shipping_country": True,
}


def ensure_uk(country_model) -> None:
    """Make the UK the shipping country; `country_model` may be a migration's historical model."""
    country_model.objects.update_or_create(iso_3166_1_a2="GB", defaults=UK)

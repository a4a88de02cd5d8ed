"""Rows the shop needs before its first order, made by data migrations.

Each function takes the model class, so a migration passes its historical
model and tests (whose transactional runs flush these rows) pass the real one.
"""

UK = {
    "iso_3166_1_a3": "GBR",
    "iso_3166_1_numeric": "826",
    "printable_name": "United Kingdom",
    "name": "United Kingdom of Great Britain and Northern Ireland",
    "display_order": 0,
    "is_shipping_country": True,
}
ORDER_EMAILS = [
    ("ORDER_PAID", "Order paid"),
    ("ORDER_SHIPPED", "Order shipped"),
    ("ORDER_CANCELLED", "Order cancelled"),
]


def ensure_uk(country_model) -> None:
    """The shop delivers to UK addresses only (STORE.md)."""
    country_model.objects.update_or_create(iso_3166_1_a2="GB", defaults=UK)


def ensure_bank_transfer(source_type_model):
    """The shop's payment method (its row, created if missing)."""
    return source_type_model.objects.get_or_create(
        code="bank-transfer", defaults={"name": "Bank transfer"}
    )[0]


def ensure_order_emails(event_type_model) -> None:
    """Rows make these e-mails editable in the dashboard; their default text is in
    templates/oscar/communication/emails/."""
    for code, name in ORDER_EMAILS:
        event_type_model.objects.get_or_create(
            code=code, defaults={"name": name, "category": "Order related"}
        )

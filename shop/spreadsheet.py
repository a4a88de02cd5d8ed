"""Cells of the CSV files staff open in a spreadsheet.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return,
which some spreadsheets skip before reading one of those) is run as a
formula: a customer named `=HYPERLINK(…)` would put a live link in staff's
sheet. Spreadsheets also read the full-width forms (＝ ＋ － ＠) as the same
signs. Such a cell gets a leading apostrophe, which spreadsheets show as text.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_safe(value):
    """`value` as a CSV cell that a spreadsheet shows and never runs."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value

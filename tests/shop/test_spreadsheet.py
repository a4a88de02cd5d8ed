import pytest

from shop.spreadsheet import spreadsheet_safe


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "＋1", "－1", "＠SUM(A1)"],
)
def test_a_cell_a_spreadsheet_would_run_is_shown_as_text(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize(("value", "cell"), [("Rose", "Rose"), ("a=b", "a=b"), (5, 5), (None, "")])
def test_other_cells_are_unchanged(value, cell):
    assert spreadsheet_safe(value) == cell

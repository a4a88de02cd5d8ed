"""Reading a stocktake CSV (SKU, counted quantity) into a preview, row by row.

Nothing here writes: applying the counts is `stock_stocktake`, after staff
have seen the preview and confirmed it.
"""

import csv
import io
import itertools
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max
from oscar.core.loading import get_model

from shop.stock.models import StockMovement
from shop.stock.services import MAX_STOCK

StockRecord = get_model("partner", "StockRecord")

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
HEADER = ["sku", "counted"]


@dataclass
class Row:
    line: int
    sku: str
    counted_text: str
    counted: int | None = None
    record: object = None
    # The newest of the record's movements when the preview was made (0: none).
    last_movement_id: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def in_stock(self):
        return (self.record.num_in_stock or 0) if self.record else None

    @property
    def difference(self):
        if self.record is None or self.counted is None:
            return None
        return self.counted - self.in_stock


@dataclass
class Preview:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the file as a whole

    @property
    def is_valid(self) -> bool:
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def changes(self) -> list[Row]:
        return [row for row in self.rows if row.difference]


def stocktake_preview(upload) -> Preview:
    """Check an uploaded file; every problem is reported, by line where it has one."""
    if upload.size > MAX_UPLOAD_BYTES:
        return Preview(errors=["The file is larger than 2 MB: a stocktake CSV is a few lines."])
    data = upload.read()
    max_rows = settings.SHOP_STOCKTAKE_MAX_ROWS
    too_many = (
        f"The file has more than {max_rows:,} lines of counts: a stocktake of this shop is "
        "a few lines. Split it into files of at most that many lines."
    )
    # Counted before anything is decoded or parsed: a file of many short lines
    # costs nothing more than its size to refuse.
    if max(data.count(b"\n"), data.count(b"\r")) > max_rows + 1:
        return Preview(errors=[too_many])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Preview(errors=["The file is not a CSV saved as UTF-8 text."])
    if not text.strip():
        return Preview(errors=["The file is empty."])
    try:
        # The header and at most `max_rows` lines; one more means too many.
        lines = list(itertools.islice(csv.reader(io.StringIO(text)), max_rows + 2))
    except csv.Error as error:
        return Preview(errors=[f"The file is not a readable CSV ({error})."])
    if len(lines) > max_rows + 1:
        return Preview(errors=[too_many])
    header = [cell.strip().lower() for cell in lines[0]]
    if header != HEADER:
        return Preview(
            errors=[f"The first line must be the header “sku,counted”, not “{','.join(lines[0])}”."]
        )
    preview = Preview()
    seen = {}
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != 2:
            row = Row(line=number, sku=cells[0].strip() if cells else "", counted_text="")
            row.errors.append(f"Expected 2 columns (sku, counted), found {len(cells)}.")
            preview.rows.append(row)
            continue
        row = Row(line=number, sku=cells[0].strip(), counted_text=cells[1].strip())
        preview.rows.append(row)
        if row.sku in seen:
            row.errors.append(f"SKU {row.sku} is already on line {seen[row.sku]}.")
        seen.setdefault(row.sku, number)
        try:
            row.counted = int(row.counted_text)
        except ValueError:
            row.errors.append(f"“{row.counted_text}” is not a whole number.")
            continue
        if row.counted < 0:
            row.errors.append("A counted quantity cannot be negative.")
        elif row.counted > MAX_STOCK:
            row.errors.append(f"More than {MAX_STOCK} jars: is that a typing slip?")
    if not preview.rows:
        preview.errors.append("The file has a header but no counts.")
        return preview
    records = {}
    for record in StockRecord.objects.filter(
        partner_sku__in=[row.sku for row in preview.rows]
    ).select_related("product", "product__parent"):
        records.setdefault(record.partner_sku, []).append(record)
    last_movements = dict(
        StockMovement.objects.filter(stockrecord__partner_sku__in=list(records))
        .values("stockrecord")
        .annotate(last=Max("id"))
        .values_list("stockrecord", "last")
    )
    for row in preview.rows:
        found = records.get(row.sku, [])
        if not found:
            row.errors.append(f"Unknown SKU “{row.sku}”.")
        elif len(found) > 1:
            row.errors.append(f"SKU {row.sku} belongs to more than one partner.")
        else:
            row.record = found[0]
            row.last_movement_id = last_movements.get(row.record.pk, 0)
            allocated = row.record.num_allocated or 0
            if row.counted is not None and 0 <= row.counted < allocated:
                row.errors.append(
                    f"{allocated} are allocated to orders not yet shipped: "
                    "the count cannot be below that."
                )
    return preview

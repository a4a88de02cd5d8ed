"""An order's statuses and the moves between them, named once.

Plain names (no Django import): the settings read the pipeline from here and
the event handler (shop/order/processing.py) acts on the same names.
"""

PENDING_PAYMENT = "Pending payment"
PAID = "Paid"
SHIPPED = "Shipped"
CANCELLED = "Cancelled"

# Bank transfer: an order waits for its money, then ships.
PIPELINE = {
    PENDING_PAYMENT: (PAID, CANCELLED),
    PAID: (SHIPPED, CANCELLED),
    SHIPPED: (),
    CANCELLED: (),
}

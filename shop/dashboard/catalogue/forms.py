from oscar.apps.dashboard.catalogue import forms as oscar_forms


class StockRecordForm(oscar_forms.StockRecordForm):
    """Stock in hand is shown, not edited: it changes on the Stock page, where every change
    is a movement in the ledger. A disabled field keeps its stored value whatever is posted."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("num_in_stock")
        if field is not None:
            field.disabled = True
            field.required = False
            field.help_text = "Change stock on the Stock page: every change there is recorded."

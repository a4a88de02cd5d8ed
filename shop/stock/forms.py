from django import forms
from django.conf import settings

from shop.stock.models import StockMovement
from shop.stock.queries import Status
from shop.stock.services import MANUAL_REASONS, MAX_STOCK


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "All")] + Status.choices, required=False, label="Status"
    )


class AdjustForm(forms.Form):
    quantity = forms.IntegerField(
        min_value=-MAX_STOCK,
        max_value=MAX_STOCK,
        help_text="Jars to add (e.g. 12) or to take away (e.g. -2).",
        error_messages={"invalid": "Enter a whole number of jars, e.g. 12 or -2."},
    )
    reason = forms.ChoiceField(
        choices=[("", "---------")] + [(r.value, r.label) for r in MANUAL_REASONS]
    )
    note = forms.CharField(required=False, max_length=500, widget=forms.TextInput)

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity == 0:
            raise forms.ValidationError("An adjustment of zero changes nothing.")
        return quantity

    def clean_reason(self):
        return StockMovement.Reason(self.cleaned_data["reason"])


class StocktakeUploadForm(forms.Form):
    file = forms.FileField(
        label="Stocktake CSV",
        help_text=(
            "Two columns with the header “sku,counted”; at most 2 MB and "
            f"{settings.SHOP_STOCKTAKE_MAX_ROWS:,} lines."
        ),
        error_messages={"empty": "The file is empty."},
    )

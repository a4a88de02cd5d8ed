from django import forms


class ReturnForm(forms.Form):
    """One quantity field per order line, and the reason."""

    reason = forms.CharField(
        label="Why are you returning them? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=f"{line.title}: jars to return (of {line.quantity})",
                min_value=0,
                max_value=line.quantity,
                initial=0,
                required=False,
            )

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") or 0 for line in self.lines}

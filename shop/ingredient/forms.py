from django import forms
from django.core.exceptions import ValidationError
from oscar.core.loading import get_model

from catalogue.ingredients import Section
from catalogue.services import LineSpec, allowed_sections, ingredient_lines_validate

Ingredient = get_model("catalogue", "Ingredient")


class IngredientForm(forms.ModelForm):
    class Meta:
        model = Ingredient
        fields = ["inci_name", "slug", "common_name", "function", "is_allergen", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}


class LineForm(forms.Form):
    """One line of a product's own ingredient list."""

    ingredient = forms.CharField(
        label="INCI name",
        max_length=128,
        widget=forms.TextInput(attrs={"list": "inci-names", "autocomplete": "off"}),
    )
    section = forms.ChoiceField(choices=Section.choices)
    position = forms.IntegerField(min_value=1, max_value=999)
    percent = forms.DecimalField(
        label="% (public)",
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0.01,
        max_value=100,
    )

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sections is not None:
            self.fields["section"].choices = [(s, Section(s).label) for s in sections]


class BaseLineFormSet(forms.BaseFormSet):
    """The whole list is validated together: duplicates, gaps and order span lines."""

    def __init__(self, *args, product, **kwargs):
        self.product = product
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "sections": allowed_sections(self.product)}

    @property
    def empty_form(self):
        form = super().empty_form
        form.fields["section"].choices = [
            (s, Section(s).label) for s in allowed_sections(self.product)
        ]
        return form

    def kept_forms(self):
        return [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def lines(self) -> list[LineSpec]:
        return [
            LineSpec(
                inci_name=form.cleaned_data["ingredient"],
                section=form.cleaned_data["section"],
                position=form.cleaned_data["position"],
                percent=form.cleaned_data.get("percent"),
            )
            for form in self.kept_forms()
        ]

    def clean(self):
        if any(self.errors):
            return
        try:
            ingredient_lines_validate(product=self.product, lines=self.lines())
        except ValidationError as error:
            raise ValidationError(error.messages) from error


LineFormSet = forms.formset_factory(
    LineForm, formset=BaseLineFormSet, extra=3, can_delete=True, max_num=200
)

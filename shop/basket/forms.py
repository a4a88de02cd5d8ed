from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket import forms as oscar_forms
from oscar.apps.basket.forms import *  # noqa: F403 (Oscar's names stay importable from here)


class BasketLineForm(oscar_forms.BasketLineForm):
    """A quantity must be 1 or more: Oscar reads 0 as "delete the line", which
    surprises a shopper who mistyped. Removing a line is the Remove link."""

    def __init__(self, strategy, *args, **kwargs):
        super().__init__(strategy, *args, **kwargs)
        old = self.fields["quantity"]
        self.fields["quantity"] = forms.IntegerField(
            label=old.label,
            min_value=1,
            widget=old.widget,
            error_messages={
                "min_value": _("Enter 1 or more. To take it out of your basket, use Remove."),
                "required": _("Enter a quantity of 1 or more."),
            },
        )

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        # Stock first: it is the limit a shopper can act on.
        self.check_permission(quantity)
        self.check_max_allowed_quantity(quantity)
        return quantity


class AddToBasketForm(oscar_forms.AddToBasketForm):
    def cleaned_options(self):
        # Oscar lists the product's options (a query) even when it has none;
        # `has_options` is known without one (see BasketAddView).
        if not self.parent_product.has_options:
            return []
        return super().cleaned_options()

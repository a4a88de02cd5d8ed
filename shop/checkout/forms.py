from django import forms
from oscar.apps.checkout import forms as oscar_forms

# What an order's e-mail column holds (and RFC 5321 allows): a longer address
# passed step 1 and then made "Place order" fail.
MAX_EMAIL_LENGTH = 254


def email_field(label) -> forms.EmailField:
    """An e-mail field no longer than the columns that store it (Django's validator
    takes up to 320 characters), saying so: the checkout's and registration's."""
    return forms.EmailField(
        label=label,
        max_length=MAX_EMAIL_LENGTH,
        error_messages={
            "max_length": "An e-mail address has at most %(limit_value)d characters "
            "(this one has %(show_value)d)."
        },
    )


class GatewayForm(oscar_forms.GatewayForm):
    """Oscar's first checkout step, which neither tells whether an e-mail has an
    account nor takes an address too long to place an order with.

    Oscar answered "A user with that email address already exists" to a guest
    or a new customer giving a known address. Here a guest checks out as a
    guest whatever the address (the order is theirs by e-mail, as any guest
    order), and "create an account" goes on to registration, which answers
    the same for any address.
    """

    username = email_field(oscar_forms.GatewayForm.base_fields["username"].label)

    def clean(self):
        if self.is_guest_checkout() or self.is_new_account_checkout():
            self.errors.pop("password", None)
            return self.cleaned_data
        return super().clean()

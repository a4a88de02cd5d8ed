from oscar.apps.customer import forms
from oscar.apps.customer.utils import normalise_email

from shop.checkout.forms import email_field


class EmailUserCreationForm(forms.EmailUserCreationForm):
    """Oscar's registration form (e-mail, password twice, Django's password validators),
    which no longer says whether the address has an account: it takes any address, and
    registration goes on by e-mailed link (shop/customer/services.py). It saves nothing.

    Oscar's e-mail field had no length limit: an address longer than the column (valid
    up to 320 characters) failed on PostgreSQL."""

    email = email_field(forms.EmailUserCreationForm.base_fields["email"].label)

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def save(self, commit=True):
        raise NotImplementedError("Accounts are made from the e-mailed link (signup_confirm).")


class ProfileForm(forms.UserForm):
    """Oscar's profile form (the shop has no profile model), which no longer says whether
    a new e-mail address belongs to another account: the address changes only from a
    link e-mailed to it (ProfileUpdateView, shop/customer/services.py)."""

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

from django import forms
from django.conf import settings

from shop.contact.models import ContactMessage


class ContactForm(forms.ModelForm):
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling bots.
    website = forms.CharField(label="Leave this field empty", required=False)

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "order_number", "message"]
        labels = {
            "name": "Your name",
            "email": "Your e-mail address",
            "order_number": "Order number (optional)",
            "message": "Your message",
        }
        error_messages = {
            "name": {"required": "Please tell us your name."},
            "email": {
                "required": "Please give your e-mail address, so we can answer you.",
                "invalid": "Please give a valid e-mail address, like name@example.com.",
            },
            "message": {"required": "Please write your message."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.SHOP_CONTACT_MAX_LENGTH
        self.fields["message"].widget = forms.Textarea(attrs={"rows": 6, "maxlength": limit})
        self.fields["message"].max_length = limit
        self.fields["message"].validators.append(
            forms.fields.validators.MaxLengthValidator(
                limit,
                message=f"Please keep your message under {limit:,} characters "
                "(yours has %(show_value)d).",
            )
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

from django.contrib import messages
from django.contrib.flatpages.models import FlatPage
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import ListView

from shop.contact.forms import ContactForm
from shop.contact.models import ContactMessage
from shop.contact.services import contact_message_create, contact_rate_exceeded
from shop.security import client_address


class ContactView(View):
    """The Contact page: the staff-editable text of the flat page /contact/, and the form."""

    template_name = "contact/contact.html"

    def page(self, request, form, status=200):
        intro = FlatPage.objects.filter(url="/contact/").first()
        return render(request, self.template_name, {"form": form, "intro": intro}, status=status)

    def get(self, request):
        return self.page(request, ContactForm())

    def post(self, request):
        form = ContactForm(request.POST)
        if form.is_bot():
            return self.refuse(
                request,
                "Your message looks automated, so it was not sent. If you are a person, "
                "please leave the last field empty, or e-mail us.",
                400,
            )
        if not form.is_valid():
            return self.page(request, form, status=400)
        # Counts the messages a client sends (a form with mistakes sends nothing).
        if contact_rate_exceeded(client=client_address(request) or ""):
            return self.refuse(
                request,
                "You have sent us several messages in the last hour, so this one was not "
                "sent. Please try again later, or e-mail us.",
                429,
            )
        contact_message_create(**{k: form.cleaned_data[k] for k in form.Meta.fields})
        messages.success(
            request, "Thank you: we have your message and answer within 2 working days."
        )
        return redirect("contact:form")

    def refuse(self, request, text, status):
        form = ContactForm(request.POST)
        form.is_valid()
        form.add_error(None, text)
        return self.page(request, form, status=status)


class ContactMessageListView(ListView):
    template_name = "contact/dashboard/message_list.html"
    context_object_name = "contact_messages"
    paginate_by = 50
    model = ContactMessage

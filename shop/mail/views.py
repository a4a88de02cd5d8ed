from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView

from shop.mail.models import OutgoingEmail
from shop.mail.services import email_resend


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All")), *OutgoingEmail.Status.choices],
        required=False,
    )


class EmailListView(ListView):
    """Every e-mail the shop has queued, newest first: queued, sending, sent or failed."""

    template_name = "mail/dashboard/email_list.html"
    context_object_name = "emails"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = StatusFilterForm(self.request.GET or None)
        emails = OutgoingEmail.objects.defer("body", "html_body", "headers")
        if self.filter_form.is_valid() and self.filter_form.cleaned_data["status"]:
            emails = emails.filter(status=self.filter_form.cleaned_data["status"])
        return emails

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class EmailDetailView(DetailView):
    model = OutgoingEmail
    template_name = "mail/dashboard/email_detail.html"
    context_object_name = "email"


class EmailResendView(View):
    """POST only: a failed e-mail is queued again."""

    http_method_names = ["post"]

    def post(self, request, pk):
        email = get_object_or_404(OutgoingEmail, pk=pk)
        if email_resend(email_id=email.pk):
            messages.success(request, _("The e-mail to %s is queued again.") % ", ".join(email.to))
        else:
            messages.info(
                request,
                _("This e-mail is %(status)s; only a failed e-mail can be sent again.")
                % {"status": email.get_status_display().lower()},
            )
        return redirect("mail-dashboard:email-detail", pk=email.pk)

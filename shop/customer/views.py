"""Registration by e-mailed link, on Oscar's two registration pages (the combined
"Sign in or register" page and /accounts/register/) and on the link's own page."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import generic
from oscar.apps.customer import views

from shop.customer.services import Refusal, signup_confirm, signup_find, signup_request

SENT_TEMPLATE = "oscar/customer/registration_sent.html"


def signup_sent(request, form):
    """Ask for the account; answer the same page, whatever the address."""
    email = form.cleaned_data["email"]
    signup_request(
        email=email,
        password=form.cleaned_data["password1"],
        redirect_url=form.cleaned_data["redirect_url"],
        request=request,
    )
    context = {"email": email, "link_hours": settings.SHOP_SIGNUP_LINK_HOURS}
    return render(request, SENT_TEMPLATE, context)


class AccountRegistrationView(views.AccountRegistrationView):
    def form_valid(self, form):
        return signup_sent(self.request, form)


class AccountAuthView(views.AccountAuthView):
    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid():
            return signup_sent(self.request, form)
        return self.render_to_response(self.get_context_data(registration_form=form))


class SignupConfirmView(generic.TemplateView):
    """The e-mailed link: GET asks (a mail scanner opening links makes no account), the
    button's POST makes the account and signs its owner in."""

    template_name = "oscar/customer/registration_confirm.html"

    def get(self, request, token):
        signup = signup_find(token=token)
        if signup is None:
            return self.refused(Refusal.INVALID)
        return self.render_to_response({"email": signup.email})

    def post(self, request, token):
        result = signup_confirm(token=token, request=request)
        if isinstance(result, Refusal):
            return self.refused(result)
        messages.success(request, _("Thanks for registering! Your account is ready."))
        return HttpResponseRedirect(result.redirect_url or settings.LOGIN_REDIRECT_URL)

    def refused(self, refusal):
        return render(
            self.request,
            "oscar/customer/registration_link_invalid.html",
            {"refusal": refusal.value},
            status=404 if refusal is Refusal.INVALID else 409,
        )

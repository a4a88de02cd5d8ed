"""Registration by e-mailed link, on Oscar's two registration pages (the combined
"Sign in or register" page and /accounts/register/) and on the link's own page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import generic
from oscar.apps.customer import views

from shop.customer.services import (
    Refusal,
    email_change_confirm,
    email_change_find,
    email_change_request,
    signup_confirm,
    signup_find,
    signup_request,
)

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


class ProfileUpdateView(views.ProfileUpdateView):
    """Oscar's profile form; a new e-mail address is asked for by link, never set here,
    and the answer is the same whether or not the address has an account."""

    def form_valid(self, form):
        user = self.request.user
        # The form has set the new address on the user already: the stored one.
        old_email = (
            get_user_model()._default_manager.values_list("email", flat=True).get(pk=user.pk)
        )
        new_email = form.cleaned_data.get("email", old_email)
        changing = new_email.lower() != old_email.lower()
        if changing:
            form.instance.email = old_email
        form.save()
        if not changing:
            messages.success(self.request, _("Profile updated"))
            return redirect(self.get_success_url())
        email_change_request(user=user, email=new_email, request=self.request)
        messages.success(
            self.request,
            _(
                "Profile updated. We've sent a link to %(email)s — open it to make it your "
                "account's e-mail address."
            )
            % {"email": new_email},
        )
        return redirect(self.get_success_url())


class EmailChangeConfirmView(generic.TemplateView):
    """The link e-mailed to a new address: GET asks, the button's POST makes the change."""

    template_name = "oscar/customer/email_change_confirm.html"

    def get(self, request, token):
        change = email_change_find(token=token)
        if change is None:
            return self.refused(Refusal.INVALID)
        return self.render_to_response({"email": change.email})

    def post(self, request, token):
        result = email_change_confirm(token=token, request=request)
        if isinstance(result, Refusal):
            return self.refused(result)
        messages.success(
            request, _("Your account's e-mail address is now %(email)s.") % {"email": result.email}
        )
        if request.user.is_authenticated and request.user.pk == result.pk:
            return redirect("customer:profile-view")
        return redirect("customer:login")

    def refused(self, refusal):
        return render(
            self.request,
            "oscar/customer/email_change_link_invalid.html",
            {"refusal": refusal.value},
            status=404 if refusal is Refusal.INVALID else 409,
        )

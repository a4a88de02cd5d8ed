"""Registration by e-mailed link, on Oscar's two registration pages (the combined
"Sign in or register" page and /accounts/register/) and on the link's own page; the
profile's new e-mail address likewise (shop/customer/services.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import generic
from oscar.apps.customer import views

from shop.customer.services import (
    Refusal,
    TooManySignups,
    email_change_confirm,
    email_change_find,
    email_change_request,
    signup_confirm,
    signup_find,
    signup_request,
)
from shop.security import client_address

SENT_TEMPLATE = "oscar/customer/registration_sent.html"
THROTTLED_TEMPLATE = "oscar/customer/registration_throttled.html"


def signup_sent(request, form):
    """Ask for the account; answer the same page, whatever the address."""
    email = form.cleaned_data["email"]
    try:
        signup_request(
            email=email,
            password=form.cleaned_data["password1"],
            redirect_url=form.cleaned_data["redirect_url"],
            request=request,
            client_address=client_address(request),
        )
    except TooManySignups as refused:
        return render(request, THROTTLED_TEMPLATE, {"minutes": refused.minutes}, status=429)
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


WRONG_PASSWORD = _lazy(
    "That is not the password this sign-up was made with. If you did not sign up "
    "yourself, register again to choose your own password."
)
# Each link's page: its heading, its question (with the address) and its button.
QUESTIONS = {
    "signup": (
        _lazy("Create your account"),
        _lazy(
            "Create your account for %(email)s? Enter the password you chose when you registered."
        ),
        _lazy("Create my account"),
    ),
    "email-change": (
        _lazy("Change your e-mail address"),
        _lazy(
            "Make %(email)s your account's e-mail address? You will sign in with it from now on."
        ),
        _lazy("Change my e-mail address"),
    ),
}


class LinkView(generic.View):
    """An e-mailed link's page: GET asks (mail scanners open links, and a GET changes
    nothing), the button's POST acts. An unknown, spent or expired link, or one whose
    address has an account by now, gets a page that says so and how to start again."""

    link = ""  # which link: its page's words (QUESTIONS) and its refusal page
    find = use = None  # the link's services: (token) → its row; (token, request) → result

    ask_password = False  # the button's form asks for the password chosen at sign-up

    def get(self, request, token):
        return self.ask(token)

    def ask(self, token, error="", status=200):
        found = type(self).find(token=token)
        if found is None:
            return self.refused(Refusal.INVALID)
        question, detail, button = QUESTIONS[self.link]
        context = {
            "question": question,
            "detail": detail % {"email": found.email},
            "button": button,
            "ask_password": self.ask_password,
            "error": error,
        }
        return render(self.request, "shop/confirm.html", context, status=status)

    def use_kwargs(self) -> dict:
        """What the link's service needs besides the token and the request."""
        return {}

    def post(self, request, token):
        result = type(self).use(token=token, request=request, **self.use_kwargs())
        if result is Refusal.WRONG_PASSWORD:
            return self.ask(token, error=WRONG_PASSWORD, status=400)
        if isinstance(result, Refusal):
            return self.refused(result)
        return self.done(result)

    def done(self, result):
        raise NotImplementedError

    def refused(self, refusal):
        return render(
            self.request,
            "oscar/customer/link_invalid.html",
            {"link": self.link, "refusal": refusal.value},
            status={Refusal.INVALID: 404, Refusal.OTHER_ACCOUNT: 403}.get(refusal, 409),
        )


class SignupConfirmView(LinkView):
    """The sign-up link: its button, with the password chosen at sign-up, makes the account
    and signs its owner in."""

    link = "signup"
    ask_password = True
    find, use = signup_find, signup_confirm

    def use_kwargs(self):
        return {"password": self.request.POST.get("password", "")}

    def done(self, result):
        messages.success(self.request, _("Thanks for registering! Your account is ready."))
        return HttpResponseRedirect(result.redirect_url or settings.LOGIN_REDIRECT_URL)


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


class EmailChangeConfirmView(LinkView):
    """The link e-mailed to a new address: its button makes it the address of the account
    that asked, signed in (a shopper who is not is asked to sign in first)."""

    link = "email-change"
    find, use = email_change_find, email_change_confirm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def use_kwargs(self):
        return {"user": self.request.user}

    def done(self, user):
        messages.success(
            self.request,
            _("Your account's e-mail address is now %(email)s.") % {"email": user.email},
        )
        return redirect("customer:profile-view")  # only the account that asked gets here

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from oscar.apps.customer.utils import normalise_email


class AxesBackend(AxesStandaloneBackend):
    """Axes' lockout check, for every sign-in form (they all pass the request).

    Oscar's registration signed the new customer in with the password just
    chosen and no request; axes would raise on that (a 500 after every
    registration). Registration by e-mailed link (shop/customer) now signs in
    without authenticating, but a caller without a request still has no
    client to throttle, and no form of ours authenticates that way.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class EmailBackend(ModelBackend):
    """Sign in with an e-mail address (or, in the admin, a username): one
    password hash per attempt, whatever the outcome.

    It replaces the pair Oscar's EmailBackend + Django's ModelBackend, which
    hashed twice for each wrong password (each backend once: ~1.2 s of CPU).
    Oscar's rule stays: two accounts sharing an e-mail and a password are refused.
    """

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        login = email or username
        if not login or password is None:
            return None
        users = get_user_model()._default_manager
        if "@" in login:
            matching = list(users.filter(email__iexact=normalise_email(login))[:2])
        else:
            matching = list(users.filter(username=login)[:1])
        if len(matching) != 1:
            # The same work as for a known account, so timing tells nothing.
            get_user_model()().set_password(password)
            return None
        user = matching[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

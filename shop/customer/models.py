from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignupRequest(models.Model):
    """Someone asked to create an account with this address (registration by e-mailed link).

    For an address with no account it holds what the account will be made of once the
    link is opened: the password, already hashed, and the hash of the link's token (the
    token itself is only in the e-mail). For an address that had an account it holds
    neither, and only counts against the address's hourly limit of sign-up e-mails.
    """

    email = models.EmailField(_("e-mail address"))
    password = models.CharField(_("password hash"), max_length=128, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    redirect_url = models.CharField(max_length=2000, blank=True)
    # Who asked (shop.security.client_address): one client's sign-ups an hour are limited.
    client_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sign-up request")
        verbose_name_plural = _("sign-up requests")

    def __str__(self):
        state = "link sent" if self.token_hash else "had an account"
        return f"{self.email} ({state}, {self.created_at:%Y-%m-%d %H:%M})"


class EmailChangeRequest(models.Model):
    """A signed-in customer asked to change their account's e-mail address to `email`.

    The change is made only from the link e-mailed to the new address (its token's hash is
    here), so the profile form never tells whether the address belongs to another account:
    if it does, that address gets a note instead and this row has no token.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_change_requests"
    )
    email = models.EmailField(_("new e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("e-mail change request")
        verbose_name_plural = _("e-mail change requests")

    def __str__(self):
        return f"{self.user_id} → {self.email} ({self.created_at:%Y-%m-%d %H:%M})"


from oscar.apps.customer.models import *  # noqa: E402, F403

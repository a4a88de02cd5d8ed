from django.urls import path
from oscar.core.application import OscarDashboardConfig

# Whoever may use some dashboard page: full staff, stock managers, partner users.
BACK_OFFICE = (["is_staff"], ["stock.dashboard_access"], ["partner.dashboard_access"])


class SigninConfig(OscarDashboardConfig):
    """Sign-in hardening: throttled attempts (django-axes), staff two-factor
    (django-otp), and the staff pages for both, mounted at /dashboard/sign-in/."""

    name = "shop.signin"
    label = "signin"
    verbose_name = "Sign-in"
    namespace = "signin-dashboard"
    default_permissions = BACK_OFFICE
    permissions_map = {
        "lockout-list": ["is_staff", "axes.view_accessattempt"],
        "lockout-unlock": ["is_staff", "axes.delete_accessattempt"],
    }

    def get_urls(self):
        from shop.signin import views

        return self.post_process_urls(
            [
                path("two-factor/", views.TwoFactorVerifyView.as_view(), name="two-factor"),
                path(
                    "two-factor/setup/",
                    views.TwoFactorSetupView.as_view(),
                    name="two-factor-setup",
                ),
                path("lockouts/", views.LockoutListView.as_view(), name="lockout-list"),
                path("lockouts/unlock/", views.LockoutUnlockView.as_view(), name="lockout-unlock"),
            ]
        )

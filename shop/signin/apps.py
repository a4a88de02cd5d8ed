from shop.dashboard.pages import DashboardPagesConfig

# Whoever may use some dashboard page: full staff, stock managers, partner users.
BACK_OFFICE = (["is_staff"], ["stock.dashboard_access"], ["partner.dashboard_access"])


class SigninConfig(DashboardPagesConfig):
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

    url_prefix = "sign-in"
    pages = (
        ("two-factor/", "TwoFactorVerifyView", "two-factor"),
        ("two-factor/setup/", "TwoFactorSetupView", "two-factor-setup"),
        ("lockouts/", "LockoutListView", "lockout-list"),
        ("lockouts/unlock/", "LockoutUnlockView", "lockout-unlock"),
    )

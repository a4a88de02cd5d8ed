from oscar.apps.dashboard.partners.views import *  # noqa: F403
from oscar.apps.dashboard.partners.views import PartnerUserLinkView as OscarPartnerUserLinkView


class PartnerUserLinkView(OscarPartnerUserLinkView):
    """Linking a user to a partner grants them dashboard access: a POST only.

    Oscar's acts on GET too (for its "Undo" link), so a link on another page,
    followed by a signed-in superuser, made any customer a dashboard user.
    """

    http_method_names = ["post"]

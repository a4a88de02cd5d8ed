from django.core.exceptions import PermissionDenied

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class WritePermissionMixin:
    """A dashboard page anyone allowed in may read; changing anything through it
    needs `write_permissions` too (Oscar's permission map is per URL, not per
    method). First among the bases, so nothing is looked up before the check."""

    write_permissions: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if request.method not in SAFE_METHODS and not request.user.has_perms(
            self.write_permissions
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

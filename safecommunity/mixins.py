"""The access rule every page goes through.

1. anonymous → the login page;
2. a role the view does not allow (or a user with no scope) → 403;
3. ``get_queryset()`` starts from ``Model.objects.for_user(user)``, so an object of another
   township (or county) is a 404 before anything else happens.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from .permissions import READ_LEDGERS


class ScopedAccessMixin(LoginRequiredMixin):
    #: Roles that may use the view (a set of ``safecommunity.permissions``); every role by default.
    allowed_roles: frozenset = READ_LEDGERS

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not user.area_id or user.role not in self.get_allowed_roles():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_allowed_roles(self):
        return self.allowed_roles

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)


def require_roles(user, roles):
    """For function views: the same 403 rule as ``ScopedAccessMixin``."""
    if not user.area_id or user.role not in roles:
        raise PermissionDenied

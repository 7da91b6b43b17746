"""The same access rule as the pages (safecommunity.mixins): no user → 401, a role the endpoint
does not allow (or no scope) → 403, and every queryset starts from ``for_user`` (→ 404)."""

from rest_framework import permissions

from safecommunity.mixins import ALL_ROLES


class ScopedRolePermission(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        roles = getattr(view, "write_roles", None) if request.method not in permissions.SAFE_METHODS else None
        if roles is None:
            roles = getattr(view, "allowed_roles", ALL_ROLES)
        return bool(user.area_id) and user.role in roles

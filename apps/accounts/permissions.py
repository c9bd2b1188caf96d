"""DRF permission classes built on the role checks."""

from rest_framework import permissions

from apps.accounts.roles import can_change, is_reviewer


class IsOwnerOrAdmin(permissions.BasePermission):
    """Object writes only by the user in `view.owner_field` (default `created_by`) or an admin."""

    message = "Only the user who created this, or an admin, may change it."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        owner_field = getattr(view, "owner_field", "created_by")
        return can_change(request.user, getattr(obj, f"{owner_field}_id"))


class IsReviewer(permissions.BasePermission):
    message = "This needs the reviewer role."

    def has_permission(self, request, view) -> bool:
        return is_reviewer(request.user)

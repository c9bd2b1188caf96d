"""DRF permissions that add the workspace's write rule to the role checks."""

from rest_framework import permissions

from apps.accounts.permissions import IsOwnerOrAdmin
from apps.workspaces.selectors import can_write


class WorkspaceWritable(permissions.BasePermission):
    """Changing an object needs write access to its workspace: in a restricted workspace only
    members write, so an owner who left it can no longer edit what they made there."""

    message = "Only members of this workspace may change things in it."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_write(request.user, obj.workspace)


# Edits and deletes: by the owner (or an admin), within the workspace's rules.
OWNER_WRITES = [permissions.IsAuthenticatedOrReadOnly, IsOwnerOrAdmin, WorkspaceWritable]
# Actions on anyone's object (votes, reviews): any user who may write in the workspace.
MEMBER_WRITES = [permissions.IsAuthenticatedOrReadOnly, WorkspaceWritable]

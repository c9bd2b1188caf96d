"""Who may read and write where; every app filters its querysets through these."""

from typing import Any

from django.db.models import Q

from apps.accounts.roles import is_admin
from apps.core.errors import PermissionDenied
from apps.workspaces.models import Membership, Workspace

V = Workspace.Visibility


def readable_q(user: Any, path: str = "") -> Q:
    """A filter for objects whose workspace (reached by `path`, e.g. "thread__workspace") the user
    may read. Objects outside it answer 404, so their existence does not leak."""
    prefix = f"{path}__" if path else ""
    if is_admin(user):
        return Q()
    visible = Q(**{f"{prefix}visibility__in": [V.PUBLIC, V.RESTRICTED]})
    if user is not None and user.is_authenticated:
        member_of = Membership.objects.filter(user_id=user.id).values("workspace_id")
        visible |= Q(**{f"{prefix}id__in": member_of})
    return visible


def readable_workspaces(user: Any):
    return Workspace.objects.filter(readable_q(user))


def can_read(user: Any, workspace: Workspace) -> bool:
    if workspace.visibility != V.PRIVATE or is_admin(user):
        return True
    return is_member(user, workspace)


def can_write(user: Any, workspace: Workspace) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if workspace.visibility == V.PUBLIC or is_admin(user):
        return True
    return is_member(user, workspace)


def is_member(user: Any, workspace: Workspace) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user_id=user.id, workspace_id=workspace.id).exists()


def default_workspace() -> Workspace:
    return Workspace.objects.get(slug=Workspace.DEFAULT_SLUG)


def check_can_write(user: Any, workspace: Workspace) -> None:
    if not can_write(user, workspace):
        raise PermissionDenied(f"Only members of the workspace “{workspace.name}” may write in it.")

"""Role checks: annotator (any logged-in user), reviewer, admin."""

from typing import Any

REVIEWER_PERMISSION = "accounts.review_conflicts"
REVIEWERS_GROUP = "Reviewers"


def is_admin(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


def is_reviewer(user: Any) -> bool:
    """Superusers hold every permission, so admins are reviewers too."""
    return bool(user and user.is_authenticated and user.has_perm(REVIEWER_PERMISSION))


def can_change(user: Any, owner_id: int | None) -> bool:
    """Users edit and delete what they created; admins everything."""
    return is_admin(user) or (
        user.is_authenticated and owner_id is not None and owner_id == user.id
    )

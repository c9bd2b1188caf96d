"""The review workflow: who may move a conflict from which status to which."""

from typing import Any

from django.db import transaction

from apps.accounts.roles import is_reviewer
from apps.conflicts.models import Conflict, ConflictReview
from apps.core.errors import ApplicationError, PermissionDenied
from apps.core.errors import Conflict as StateConflict

S = Conflict.Status

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "confirm": ({S.OPEN}, S.CONFIRMED),
    "dismiss": ({S.OPEN, S.CONFIRMED}, S.DISMISSED),
    "resolve": ({S.OPEN, S.CONFIRMED}, S.RESOLVED),
    "reopen": ({S.CONFIRMED, S.DISMISSED, S.RESOLVED}, S.OPEN),
}


@transaction.atomic
def conflict_review(*, conflict: Conflict, user: Any, action: str, note: str = "") -> Conflict:
    if not is_reviewer(user):
        raise PermissionDenied("Reviewing conflicts needs the reviewer role.")
    if action not in TRANSITIONS:
        raise ApplicationError(
            f"Unknown review action {action!r}; use one of {', '.join(TRANSITIONS)}.",
            code="invalid_action",
        )
    note = note.strip()
    if action == "dismiss" and not note:
        raise ApplicationError("Say why the conflict is dismissed (a note).", code="note_required")
    # Locked so two reviewers acting at once see each other's result, not a stale status.
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    sources, target = TRANSITIONS[action]
    if conflict.status not in sources:
        raise StateConflict(
            f"A conflict that is {conflict.status} cannot be {action}ed"
            f" (only from {', '.join(sorted(sources))}).",
            code="invalid_transition",
            detail={"status": conflict.status},
        )
    ConflictReview.objects.create(
        conflict=conflict,
        actor=user,
        action=action,
        from_status=conflict.status,
        to_status=target,
        note=note,
    )
    conflict.status = target
    conflict.save(update_fields=["status", "updated_at"])
    return conflict

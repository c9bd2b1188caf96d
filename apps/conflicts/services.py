"""The review workflow: who may move a conflict from which status to which."""

from typing import Any

from django.db import connection, transaction

from apps.accounts.roles import is_reviewer
from apps.annotations.models import Reading
from apps.annotations.services import term_claim_counts_refresh
from apps.conflicts import detection, triggers
from apps.conflicts.models import Conflict, ConflictReview
from apps.core.errors import ApplicationError, PermissionDenied
from apps.core.errors import Conflict as StateConflict
from apps.glossary.models import Definition, Term
from apps.glossary.services import definitions_mark_equivalent, term_create
from apps.workspaces.selectors import check_can_write

S = Conflict.Status

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "confirm": ({S.OPEN}, S.CONFIRMED),
    "dismiss": ({S.OPEN, S.CONFIRMED}, S.DISMISSED),
    "resolve": ({S.OPEN, S.CONFIRMED}, S.RESOLVED),
    "reopen": ({S.CONFIRMED, S.DISMISSED, S.RESOLVED}, S.OPEN),
}


@transaction.atomic
def conflict_review(
    *,
    conflict: Conflict,
    user: Any,
    action: str,
    note: str = "",
    resolution: dict | None = None,
) -> Conflict:
    """Move a conflict through the review workflow. Resolving may also fix its cause, in the
    same transaction: {"type": "merge_definitions", "definitions": [a, b]} marks definitions
    equivalent; {"type": "split_term", "parts": [{"name", "definitions"}]} splits a term."""
    if not is_reviewer(user):
        raise PermissionDenied("Reviewing conflicts needs the reviewer role.")
    check_can_write(user, conflict.workspace)
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
    if resolution is not None:
        if action != "resolve":
            raise ApplicationError(
                "A resolution goes with the action resolve.", code="invalid_resolution"
            )
        note = " ".join(filter(None, [_apply_resolution(conflict, user, resolution), note]))
    ConflictReview.objects.create(
        conflict=conflict,
        actor=user,
        action=action,
        from_status=conflict.status,
        to_status=target,
        note=note,
    )
    if conflict.status not in detection.LIVE and target in detection.LIVE:
        # The detector leaves a verdict alone when its evidence goes; reopened, the conflict
        # is live again, and its unit decides whether the evidence still stands.
        triggers.request_detection([detection.owner(conflict)])
    conflict.status = target
    conflict.save(update_fields=["status", "updated_at"])
    return conflict


def _apply_resolution(conflict: Conflict, user: Any, resolution: dict) -> str:
    if resolution["type"] == "merge_definitions":
        first, second = resolution["definitions"]
        definitions_mark_equivalent(
            user=user, definition=first, other=second, note=f"Resolving conflict {conflict.id}"
        )
        return f"Merged definitions {first.id} and {second.id}."
    terms = term_split(user=user, term=conflict.term, parts=resolution["parts"])
    return "Split into " + ", ".join(f"“{t.name}”" for t in terms) + "."


@transaction.atomic
def term_split(*, user: Any, term: Term | None, parts: list[dict]) -> list[Term]:
    """Split an overloaded term: each part becomes a term of its own, taking the given
    definitions of the old term and every reading of them. The old term keeps the rest."""
    if not is_reviewer(user):
        raise PermissionDenied("Splitting a term needs the reviewer role.")
    if term is None:
        raise ApplicationError("This conflict has no term to split.", code="invalid_resolution")
    if len(parts) < 1:
        raise ApplicationError("Give at least one part to split off.", code="invalid_resolution")
    moved = [d.id for part in parts for d in part["definitions"]]
    if len(moved) != len(set(moved)):
        raise ApplicationError("A definition can go to one part only.", code="invalid_resolution")
    foreign = [d.id for part in parts for d in part["definitions"] if d.term_id != term.id]
    if foreign:
        raise ApplicationError(
            f"Definitions {foreign} are not senses of “{term.name}”.", code="invalid_resolution"
        )
    created = []
    for part in parts:
        new_term = term_create(
            user=user,
            workspace=term.workspace,
            name=part["name"],
            description=f"Split from “{term.name}”.",
        )
        definitions = [d.id for d in part["definitions"]]
        Definition.objects.filter(id__in=definitions).update(term=new_term)
        Reading.objects.filter(definition_id__in=definitions).update(term=new_term)
        created.append(new_term)
    term_claim_counts_refresh([term.id, *(t.id for t in created)])
    triggers.terms_changed([term.id, *(t.id for t in created)])
    return created


def conflict_counts_compact() -> None:
    """Fold the kept counts' rows into one per (workspace, status), so summing them stays cheap.
    Rows a concurrent transaction has not committed are not seen, so they are left as they are."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH folded AS (DELETE FROM conflicts_conflictcount "
            "RETURNING workspace_id, status, delta) "
            "INSERT INTO conflicts_conflictcount (workspace_id, status, delta) "
            "SELECT workspace_id, status, sum(delta) FROM folded GROUP BY 1, 2 "
            "HAVING sum(delta) <> 0"
        )

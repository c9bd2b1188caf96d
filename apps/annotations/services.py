"""Writes to claims, claim links, readings and votes."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from apps.annotations.anchoring import Anchor, anchor_span, reanchor
from apps.annotations.models import Claim, ClaimLink, Mention, Reading, Vote
from apps.conflicts import triggers
from apps.core.errors import ApplicationError, Conflict, NotFound
from apps.workspaces.selectors import check_can_write


def _workspace_of_claim(claim: Claim):
    return claim.comment.thread.workspace


def _detect_for_claim(claim: Claim, readings: list[Reading] | None = None) -> None:
    """Ask for detection wherever this claim counts: the terms it mentions and its readings."""
    thread_id = claim.comment.thread_id
    readings = list(claim.readings.all()) if readings is None else readings
    mentioned = Mention.objects.filter(
        comment_id=claim.comment_id, start__gte=claim.start, end__lte=claim.end
    ).values_list("term_id", flat=True)
    terms = {*mentioned, *(r.term_id for r in readings if r.term_id)}
    triggers.sense_readings_changed((thread_id, term) for term in terms)
    if any(r.kind == Reading.Kind.DECOMPOSITION for r in readings):
        triggers.decomposition_readings_changed([thread_id])


def _detect_for_reading(reading: Reading) -> None:
    thread_id = reading.claim.comment.thread_id
    if reading.kind == Reading.Kind.SENSE:
        triggers.sense_readings_changed([(thread_id, reading.term_id)])
        return
    # An accepted decomposition reading settles the sense of the terms the decomposition defines.
    # Sense units before the decomposition unit, as in _detect_for_claim: concurrent writes then
    # lock the outbox rows in one order.
    terms = reading.decomposition.definitions.values_list("term_id", flat=True)
    triggers.sense_readings_changed((thread_id, term) for term in set(terms))
    triggers.decomposition_readings_changed([thread_id])


def _lock_reading(reading: Reading) -> Reading:
    """Lock the reading's row before anything else a vote or delete writes: concurrent votes
    queue on it, and no write locks the outbox rows first and then waits for the reading."""
    locked = Reading.objects.select_for_update().filter(pk=reading.pk).first()
    if locked is None:
        raise NotFound(f"Reading {reading.pk} has just been deleted.", code="not_found")
    return locked


# Claims


@transaction.atomic
def claim_create(*, user: Any, comment: Any, start: int, end: int, note: str = "") -> Claim:
    check_can_write(user, comment.thread.workspace)
    anchor = anchor_span(comment.text, start, end)
    claim = Claim.objects.create(
        comment=comment,
        start=anchor.start,
        end=anchor.end,
        quote=anchor.quote,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        note=note,
        created_by=user,
    )
    _detect_for_claim(claim, readings=[])
    return claim


@transaction.atomic
def claim_update(
    *, claim: Claim, start: int | None = None, end: int | None = None, note: str | None = None
) -> Claim:
    if start is not None or end is not None:
        _detect_for_claim(claim)  # where it was
        anchor = anchor_span(
            claim.comment.text,
            claim.start if start is None else start,
            claim.end if end is None else end,
        )
        _apply_anchor(claim, anchor)
        _detect_for_claim(claim)  # and where it is now
    if note is not None:
        claim.note = note
    claim.save()
    return claim


@transaction.atomic
def claim_delete(*, claim: Claim) -> None:
    # Its readings are locked first, as a vote locks its reading first (see _lock_reading).
    readings = list(Reading.objects.select_for_update().filter(claim=claim).order_by("id"))
    _detect_for_claim(claim, readings)
    claim.delete()


def _apply_anchor(claim: Claim, anchor: Anchor) -> None:
    claim.start, claim.end = anchor.start, anchor.end
    claim.quote, claim.prefix, claim.suffix = anchor.quote, anchor.prefix, anchor.suffix
    claim.anchor = Claim.Anchor.ANCHORED


def claims_reanchor(*, comment: Any) -> tuple[int, int]:
    """Follow the comment's new text with its claims; returns (moved, orphaned) counts.

    Orphaned claims keep their last offsets and quote, so a later re-import that brings the
    text back anchors them again."""
    moved = orphaned = 0
    changed = []
    for claim in Claim.objects.filter(comment=comment):
        old = Anchor(claim.start, claim.end, claim.quote, claim.prefix, claim.suffix)
        new = reanchor(comment.text, old)
        if new is None:
            if claim.anchor != Claim.Anchor.ORPHANED:
                claim.anchor = Claim.Anchor.ORPHANED
                orphaned += 1
                changed.append(claim)
        elif new != old or claim.anchor != Claim.Anchor.ANCHORED:
            _apply_anchor(claim, new)
            moved += 1
            changed.append(claim)
    Claim.objects.bulk_update(changed, ["start", "end", "quote", "prefix", "suffix", "anchor"])
    return moved, orphaned


# Claim links


@transaction.atomic
def claim_link_create(*, user: Any, source: Claim, target: Claim, kind: str) -> ClaimLink:
    check_can_write(user, _workspace_of_claim(source))
    if source.id == target.id:
        raise ApplicationError("A claim cannot be linked to itself.", code="self_link")
    if source.comment.thread_id != target.comment.thread_id:
        raise ApplicationError("Linked claims must be in the same thread.", code="thread_mismatch")
    if ClaimLink.objects.filter(source=source, target=target, kind=kind).exists():
        raise Conflict(
            f"Claim {source.id} already {kind} claim {target.id}.", code="duplicate_link"
        )
    return ClaimLink.objects.create(source=source, target=target, kind=kind, created_by=user)


@transaction.atomic
def claim_link_delete(*, link: ClaimLink) -> None:
    link.delete()


# Readings and votes


def _duplicate_reading(existing: Reading) -> Conflict:
    return Conflict(
        f"This reading already exists (reading {existing.id}); vote on it instead.",
        code="duplicate_reading",
        detail={"reading": existing.id},
    )


@transaction.atomic
def reading_create(
    *,
    user: Any,
    claim: Claim,
    term: Any = None,
    definition: Any = None,
    decomposition: Any = None,
) -> Reading:
    """A person's reading counts as their agreement with it: it starts with their +1 vote."""
    workspace = _workspace_of_claim(claim)
    check_can_write(user, workspace)
    if decomposition is not None:
        if term is not None or definition is not None:
            raise ApplicationError(
                "A reading is either {claim, term, definition} or {claim, decomposition}, "
                "not both.",
                code="invalid_reading",
            )
        if decomposition.workspace_id != workspace.id:
            raise ApplicationError(
                "The decomposition belongs to another workspace.", code="workspace_mismatch"
            )
        kind, lookup = Reading.Kind.DECOMPOSITION, {"decomposition": decomposition}
    else:
        if definition is None:
            raise ApplicationError(
                "A sense reading needs a definition (or give a decomposition instead).",
                code="invalid_reading",
            )
        term = term or definition.term
        if definition.term_id != term.id:
            raise ApplicationError(
                f"Definition {definition.id} is a sense of “{definition.term.name}”, "
                f"not of “{term.name}”.",
                code="definition_term_mismatch",
            )
        if term.workspace_id != workspace.id:
            raise ApplicationError(
                "The term belongs to another workspace.", code="workspace_mismatch"
            )
        kind, lookup = Reading.Kind.SENSE, {"term": term, "definition": definition}
    same = Reading.objects.filter(claim=claim, kind=kind, **lookup)
    if existing := same.first():
        raise _duplicate_reading(existing)
    try:
        with transaction.atomic():  # a savepoint: the unique constraint decides a race
            reading = Reading.objects.create(claim=claim, kind=kind, created_by=user, **lookup)
    except IntegrityError:
        # Made by a concurrent request since the check: answer as if it had been there.
        if (existing := same.first()) is None:
            raise
        raise _duplicate_reading(existing) from None
    reading_vote(reading=reading, user=user, value=1)
    reading.refresh_from_db()
    return reading


@transaction.atomic
def reading_delete(*, reading: Reading) -> None:
    _lock_reading(reading)
    _detect_for_reading(reading)
    reading.delete()


@transaction.atomic
def reading_vote(*, reading: Reading, user: Any, value: int) -> Reading:
    """Set the user's vote: +1 agree, -1 disagree, 0 withdraw. One vote per user and reading.

    The reading row is locked first, so concurrent votes on it queue up instead of racing on
    the vote row or the tallies, and a vote racing the reading's deletion is a 404."""
    if value not in (1, -1, 0):
        raise ApplicationError(
            f"A vote is 1, -1 or 0 (withdraw), not {value}.", code="invalid_vote"
        )
    reading = _lock_reading(reading)
    check_can_write(user, _workspace_of_claim(reading.claim))
    if value == 0:
        Vote.objects.filter(reading=reading, user=user).delete()
    else:
        Vote.objects.update_or_create(reading=reading, user=user, defaults={"value": value})
    tally = Vote.objects.filter(reading=reading).aggregate(
        up=Count("id", filter=Q(value=1)), down=Count("id", filter=Q(value=-1))
    )
    reading.votes_up, reading.votes_down = tally["up"], tally["down"]
    reading.save(update_fields=["votes_up", "votes_down", "updated_at"])
    _detect_for_reading(reading)
    return reading

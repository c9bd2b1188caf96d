"""Writes to claims, claim links, readings and votes."""

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, QuerySet
from django.utils import timezone

from apps.annotations.anchoring import Anchor, anchor_span, reanchor
from apps.annotations.models import Claim, ClaimLink, Mention, Reading, Vote
from apps.conflicts import triggers
from apps.core.db import subquery_count
from apps.core.errors import ApplicationError, Conflict, NotFound
from apps.glossary.models import Term
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


def _lock_row(row: Claim | Reading) -> None:
    """Lock the row, and only the row: the caller's instance keeps what it loaded (a claim's
    comment and thread, a reading's claim), which never changes. A 404 if it is gone."""
    model = type(row)
    if not list(model.objects.select_for_update().filter(pk=row.pk).values_list("pk")):
        name = model._meta.verbose_name.capitalize()
        raise NotFound(f"{name} {row.pk} has just been deleted.", code="not_found")


def _lock_reading(reading: Reading) -> None:
    """Lock the reading's row before anything else a vote or delete writes: concurrent votes
    queue on it, and no write locks the outbox rows first and then waits for the reading (its
    tallies are recounted in the database)."""
    _lock_row(reading)


def _lock_claim(claim: Claim) -> None:
    """Lock the claim's row first in every write that changes which terms its readings carry,
    so two such writes on one claim cannot both decide they added or removed its first or last
    reading of a term. Order: claim, then readings, then term counters, then outbox rows."""
    _lock_row(claim)


def _count_claim(term_ids: Iterable[int], delta: int) -> None:
    """The claim gained (+1) or lost (-1) its only sense reading of these terms. One UPDATE
    per term in id order: concurrent writes lock counter rows in the same order."""
    for term_id in sorted(set(term_ids)):
        Term.objects.filter(pk=term_id).update(claim_count=F("claim_count") + delta)


def term_claim_counts_refresh(term_ids: Iterable[int]) -> None:
    """Recount `Term.claim_count` after a bulk change to readings (an import, a split, a
    cascade delete); a recount costs a scan of the term's readings."""
    for term_id in sorted(set(term_ids)):
        claims = Reading.objects.filter(term_id=term_id).values("claim_id").distinct().count()
        Term.objects.filter(pk=term_id).update(claim_count=claims)


def terms_read_under(rows: QuerySet, term_path: str) -> set[int]:
    """Ids of the terms read under these rows (claims, comments, threads, ...), `term_path`
    leading from a row to a reading's term: what a cascade delete of the rows changes the
    claim counts of."""
    terms = rows.filter(**{f"{term_path}__isnull": False}).order_by()
    return set(terms.values_list(term_path, flat=True).distinct())


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
    _lock_claim(claim)
    # Its readings are locked next, as a vote locks its reading first (see _lock_reading).
    readings = list(Reading.objects.select_for_update().filter(claim=claim).order_by("id"))
    _count_claim((r.term_id for r in readings if r.term_id), -1)
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
    _lock_claim(claim)
    first_of_term = term is not None and not Reading.objects.filter(claim=claim, term=term).exists()
    try:
        with transaction.atomic():  # a savepoint: the unique constraint decides a race
            # Born with its creator's +1 (the vote row follows): nobody else sees it before
            # the commit, so there is nothing to lock or recount.
            reading = Reading.objects.create(
                claim=claim, kind=kind, created_by=user, votes_up=1, **lookup
            )
    except IntegrityError:
        # A duplicate, or made by a concurrent request since: answer with the one that exists.
        if (existing := Reading.objects.filter(claim=claim, kind=kind, **lookup).first()) is None:
            raise
        raise Conflict(
            f"This reading already exists (reading {existing.id}); vote on it instead.",
            code="duplicate_reading",
            detail={"reading": existing.id},
        ) from None
    Vote.objects.create(reading=reading, user=user, value=1)
    if first_of_term:
        _count_claim([term.id], +1)
    _detect_for_reading(reading)
    return reading


@transaction.atomic
def reading_delete(*, reading: Reading) -> None:
    _lock_claim(reading.claim)
    _lock_reading(reading)
    others = Reading.objects.filter(claim_id=reading.claim_id, term_id=reading.term_id)
    if reading.term_id and not others.exclude(pk=reading.pk).exists():
        _count_claim([reading.term_id], -1)
    _detect_for_reading(reading)
    reading.delete()


@transaction.atomic
def reading_vote(*, reading: Reading, user: Any, value: int) -> None:
    """Set the user's vote: +1 agree, -1 disagree, 0 withdraw. One vote per user and reading.

    The reading row is locked first, so concurrent votes on it queue up instead of racing on
    the vote row or the tallies, and a vote racing the reading's deletion is a 404."""
    if value not in (1, -1, 0):
        raise ApplicationError(
            f"A vote is 1, -1 or 0 (withdraw), not {value}.", code="invalid_vote"
        )
    _lock_reading(reading)
    check_can_write(user, _workspace_of_claim(reading.claim))
    if value == 0:
        Vote.objects.filter(reading=reading, user=user).delete()
    else:
        Vote.objects.bulk_create(
            [Vote(reading=reading, user=user, value=value)],
            update_conflicts=True,
            unique_fields=["reading", "user"],
            update_fields=["value", "updated_at"],
        )
    # Recounted in one statement under the reading's lock, so the tallies equal the rows.
    votes = Vote.objects.filter(reading=OuterRef("pk"))
    Reading.objects.filter(pk=reading.pk).update(
        votes_up=subquery_count(votes.filter(value=1), "reading"),
        votes_down=subquery_count(votes.filter(value=-1), "reading"),
        updated_at=timezone.now(),
    )
    _detect_for_reading(reading)

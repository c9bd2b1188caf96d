"""Suggestions: term mentions and definition candidates found in a thread, and their review."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from apps.annotations.definitions import find_definition_candidates, sentence_spans
from apps.annotations.models import Claim, DefinitionCandidate, Mention, Reading, Suggestion
from apps.annotations.services import claim_create, reading_create
from apps.conflicts import triggers
from apps.core.db import insert_new
from apps.core.errors import ApplicationError, Conflict
from apps.forum.models import Comment, Thread
from apps.glossary.matcher import matcher_for_workspace
from apps.glossary.models import Definition, Term, TermAlias
from apps.glossary.normalize import normalize_term
from apps.glossary.services import definition_create, term_create
from apps.workspaces.selectors import check_can_write

Status = Suggestion.Status


# Finding


@transaction.atomic
def suggestions_refresh(*, thread: Thread) -> tuple[int, int]:
    """Find mentions and definition candidates in the thread's comments; returns how many of
    each were new.

    Idempotent, so a retried or repeated job does no harm: rows are keyed by their natural
    unique key and only missing ones are inserted (the thread's lock serialises refreshes).
    Decisions stick: accepted and rejected suggestions are never touched, so a rejected one
    stays rejected when found again. Only `suggested` rows that are no longer found (the
    comment's text changed) are deleted."""
    # Serialises refreshes of one thread (an import and a glossary change can both ask).
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    comments = list(Comment.objects.filter(thread=thread).only("id", "text"))
    mentions_created, mentions_deleted = _refresh_mentions(thread, comments)
    candidates_created = _refresh_definition_candidates(thread, comments)
    if mentions_created or mentions_deleted:
        # Mentions are evidence of ambiguous usage: have the thread's conflicts re-detected.
        triggers.threads_changed([thread.id])
    return mentions_created, candidates_created


def _refresh_mentions(thread: Thread, comments: list[Comment]) -> tuple[int, int]:
    """(created, deleted)."""
    matcher = matcher_for_workspace(thread.workspace_id)
    found = {}
    found_matches = matcher.find_many(comment.text for comment in comments)
    for comment, matches in zip(comments, found_matches, strict=True):
        for match in matches:
            key = (comment.id, match.term_id, match.start, match.end)
            found[key] = Mention(
                comment_id=comment.id,
                term_id=match.term_id,
                start=match.start,
                end=match.end,
                text=match.text[:200],
            )
    existing = Mention.objects.filter(comment__thread=thread).values_list(
        "id", "comment_id", "term_id", "start", "end", "status"
    )
    known, stale = set(), []
    for mention_id, *key, status in existing:
        known.add(tuple(key))
        if status == Status.SUGGESTED and tuple(key) not in found:
            stale.append(mention_id)
    deleted, _ = Mention.objects.filter(id__in=stale, status=Status.SUGGESTED).delete()
    new = [mention for key, mention in found.items() if key not in known]
    insert_new(Mention, new)  # the thread's lock keeps other refreshes out
    return len(new), deleted


def _terms_by_key(workspace_id: int, texts: set[str]) -> dict[str, int]:
    keys = {normalize_term(text) for text in texts} - {""}
    rows = TermAlias.objects.filter(workspace_id=workspace_id, normalized__in=keys)
    return dict(rows.values_list("normalized", "term_id"))


def _refresh_definition_candidates(thread: Thread, comments: list[Comment]) -> int:
    found = {}
    for comment in comments:
        for candidate in find_definition_candidates(comment.text):
            key = (comment.id, candidate.term_text[:200], candidate.start, candidate.end)
            found[key] = DefinitionCandidate(
                comment_id=comment.id,
                term_text=candidate.term_text[:200],
                start=candidate.start,
                end=candidate.end,
                sentence=comment.text[candidate.start : candidate.end],
                definition_text=candidate.definition_text,
                pattern=candidate.pattern[:50],
            )
    terms = _terms_by_key(thread.workspace_id, {c.term_text for c in found.values()})
    for candidate in found.values():
        candidate.term_id = terms.get(normalize_term(candidate.term_text))

    existing = DefinitionCandidate.objects.filter(comment__thread=thread).only(
        "id", "comment_id", "term_text", "start", "end", "status", "term_id"
    )
    known, stale, relinked = set(), [], []
    for row in existing:
        key = (row.comment_id, row.term_text, row.start, row.end)
        known.add(key)
        if row.status != Status.SUGGESTED:
            continue
        if key not in found:
            stale.append(row.id)
        elif row.term_id != found[key].term_id:
            # The glossary changed: the phrase now names a known term (or no longer does).
            row.term_id = found[key].term_id
            relinked.append(row)
    DefinitionCandidate.objects.filter(id__in=stale, status=Status.SUGGESTED).delete()
    DefinitionCandidate.objects.bulk_update(relinked, ["term"])
    new = [candidate for key, candidate in found.items() if key not in known]
    DefinitionCandidate.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(new)


# Reviewing


@dataclass(frozen=True)
class MentionAcceptance:
    mention: Mention
    claim: Claim | None
    reading: Reading | None


@dataclass(frozen=True)
class DefinitionCandidateAcceptance:
    candidate: DefinitionCandidate
    term: Term
    claim: Claim
    definition: Definition
    reading: Reading


def _lock_undecided(model: type[Suggestion], suggestion: Suggestion, noun: str) -> Any:
    """The suggestion, locked, if it is still `suggested`; a 409 naming the decision if not.

    The lock makes two people accepting at once decide once: the second waits, then sees the
    first's decision."""
    # No select_related: PostgreSQL cannot lock the nullable side of an outer join.
    locked = model.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != Status.SUGGESTED:
        by = f" by {locked.decided_by.username}" if locked.decided_by else ""
        raise Conflict(
            f"This {noun} was already {locked.status}{by}; it cannot be decided again.",
            code=f"suggestion_{locked.status}",
            detail={"status": locked.status},
        )
    return locked


def _decide(suggestion: Suggestion, status: str, user: Any) -> None:
    suggestion.status = status
    suggestion.decided_by = user
    suggestion.save(update_fields=["status", "decided_by", "term", "updated_at"])


def _claim_over(*, user: Any, comment: Comment, start: int, end: int) -> Claim:
    """The claim on exactly this span: an existing one is reused rather than doubled."""
    existing = Claim.objects.filter(
        comment=comment, start=start, end=end, anchor=Claim.Anchor.ANCHORED
    ).first()
    if existing is not None:
        return existing
    return claim_create(user=user, comment=comment, start=start, end=end)


def _sense_reading(*, user: Any, claim: Claim, definition: Definition) -> Reading:
    existing = Reading.objects.filter(
        claim=claim, kind=Reading.Kind.SENSE, term_id=definition.term_id, definition=definition
    ).first()
    if existing is not None:
        return existing
    return reading_create(user=user, claim=claim, term=definition.term, definition=definition)


@transaction.atomic
def mention_accept(
    *, mention: Mention, user: Any, definition: Definition | None = None
) -> MentionAcceptance:
    """Confirm that the term occurs here. With a definition, also record which sense it
    carries: a claim over the sentence containing the mention and a sense reading on it."""
    comment = mention.comment
    check_can_write(user, comment.thread.workspace)
    mention = _lock_undecided(Mention, mention, "mention")
    claim = reading = None
    if definition is not None:
        if definition.term_id != mention.term_id:
            raise ApplicationError(
                f"Definition {definition.id} is a sense of “{definition.term.name}”, not of "
                f"“{mention.term.name}”.",
                code="definition_term_mismatch",
            )
        if comment.text[mention.start : mention.end] != mention.text:
            raise Conflict(
                "The comment's text changed since this mention was found; refresh the "
                "thread's suggestions and try again.",
                code="suggestion_stale",
            )
        start, end = next(
            ((a, b) for a, b in sentence_spans(comment.text) if a <= mention.start < b),
            (mention.start, mention.end),
        )
        claim = _claim_over(user=user, comment=comment, start=start, end=end)
        reading = _sense_reading(user=user, claim=claim, definition=definition)
    _decide(mention, Status.ACCEPTED, user)
    return MentionAcceptance(mention=mention, claim=claim, reading=reading)


@transaction.atomic
def mention_reject(*, mention: Mention, user: Any) -> Mention:
    """Hide the mention for everyone; later refreshes keep it rejected."""
    check_can_write(user, mention.comment.thread.workspace)
    mention = _lock_undecided(Mention, mention, "mention")
    _decide(mention, Status.REJECTED, user)
    # A rejected mention no longer counts as a use of the term.
    triggers.sense_readings_changed([(mention.comment.thread_id, mention.term_id)])
    return mention


def _term_for(candidate: DefinitionCandidate, user: Any, workspace: Any) -> Term:
    """The known term the candidate defines, created from its phrase when there is none."""
    if candidate.term_id is not None:
        return candidate.term
    key = normalize_term(candidate.term_text)
    alias = TermAlias.objects.filter(workspace=workspace, normalized=key).first() if key else None
    if alias is not None:
        return alias.term
    return term_create(user=user, workspace=workspace, name=candidate.term_text)


@transaction.atomic
def definition_candidate_accept(
    *,
    candidate: DefinitionCandidate,
    user: Any,
    term: Term | None = None,
    text: str | None = None,
    label: str = "",
) -> DefinitionCandidateAcceptance:
    """Turn the candidate into a claim over its sentence, a definition stated by that claim
    (proposed by the comment's author) and a sense reading, all or nothing.

    `term` and `text` correct the proposal: another term than the phrase found, another
    wording of the definition."""
    comment = candidate.comment
    workspace = comment.thread.workspace
    check_can_write(user, workspace)
    candidate = _lock_undecided(DefinitionCandidate, candidate, "definition candidate")
    if term is not None and term.workspace_id != workspace.id:
        raise ApplicationError("The term belongs to another workspace.", code="workspace_mismatch")
    if comment.text[candidate.start : candidate.end] != candidate.sentence:
        raise Conflict(
            "The comment's text changed since this candidate was found; refresh the thread's "
            "suggestions and try again.",
            code="suggestion_stale",
        )
    term = term or _term_for(candidate, user, workspace)
    claim = _claim_over(user=user, comment=comment, start=candidate.start, end=candidate.end)
    definition = definition_create(
        user=user,
        term=term,
        text=candidate.definition_text if text is None else text,
        label=label,
        proposed_by=comment.author,
        source_claim=claim,
    )
    reading = reading_create(user=user, claim=claim, term=term, definition=definition)
    candidate.term = term
    _decide(candidate, Status.ACCEPTED, user)
    return DefinitionCandidateAcceptance(
        candidate=candidate, term=term, claim=claim, definition=definition, reading=reading
    )


@transaction.atomic
def definition_candidate_reject(
    *, candidate: DefinitionCandidate, user: Any
) -> DefinitionCandidate:
    """Hide the candidate for everyone; later refreshes keep it rejected."""
    check_can_write(user, candidate.comment.thread.workspace)
    candidate = _lock_undecided(DefinitionCandidate, candidate, "definition candidate")
    _decide(candidate, Status.REJECTED, user)
    return candidate

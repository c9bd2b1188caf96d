"""Running detection: a unit's rules over its snapshot, then an idempotent upsert by fingerprint.

Every conflict belongs to the unit that finds it; after a run, the unit's conflicts that were
not found again have lost their evidence and become obsolete. Conflicts are inserted with
ON CONFLICT DO NOTHING on the unique fingerprint and then updated under a row lock, so two
workers running the same unit at once, or a retried job, never create a duplicate.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.annotations.models import Mention, Reading
from apps.conflicts import snapshot, units
from apps.conflicts.models import Conflict, ConflictReview
from apps.conflicts.rules import (
    TERM_SYNONYM_RULES,
    THREAD_DECOMPOSITION_RULES,
    THREAD_TERM_RULES,
    Finding,
)
from apps.forum.models import Thread
from apps.glossary.models import Definition

S = Conflict.Status
K = Conflict.Kind
# Only these go obsolete when their evidence disappears; a dismissed or resolved conflict keeps
# the reviewer's verdict (and its history) instead.
LIVE = (S.OPEN, S.CONFIRMED)


@dataclass
class DetectionResult:
    created: int = 0
    updated: int = 0
    reopened: int = 0
    obsoleted: int = 0

    def __iadd__(self, other: "DetectionResult") -> "DetectionResult":
        self.created += other.created
        self.updated += other.updated
        self.reopened += other.reopened
        self.obsoleted += other.obsoleted
        return self


def owned_by(unit: units.Unit) -> Q:
    """The conflicts a unit answers for."""
    if unit.scope == units.THREAD_TERM:
        return Q(
            kind__in=[K.EQUIVOCATION, K.AMBIGUOUS_USAGE, K.CONTESTED_READING],
            thread_id=unit.first,
            term_id=unit.second,
        )
    if unit.scope == units.THREAD_DECOMPOSITIONS:
        return Q(kind=K.DECOMPOSITION_MISMATCH, thread_id=unit.first) | Q(
            kind=K.CONTESTED_READING, thread_id=unit.first, term__isnull=True
        )
    if unit.scope == units.TERM_SYNONYMS:
        return Q(kind=K.SYNONYM_CANDIDATE) & (Q(term_id=unit.first) | Q(other_term_id=unit.first))
    raise ValueError(f"{unit.key} is a fan-out unit; expand it first")


def expand(unit: units.Unit) -> list[units.Unit]:
    """Fan-out units become the units they stand for, as they are at the time of the run."""
    if unit.scope == units.THREAD:
        return [*_thread_term_units(Q(id=unit.first)), units.thread_decompositions(unit.first)]
    if unit.scope == units.TERM:
        term_units = _thread_term_units(Q(), term_id=unit.first)
        # Decompositions that define the term show its senses and name in their evidence.
        decomposition_threads = Reading.objects.filter(
            decomposition__definitions__term_id=unit.first
        ).values_list("claim__comment__thread_id", flat=True)
        return [
            *term_units,
            *sorted({units.thread_decompositions(t) for t in decomposition_threads}),
            units.term_synonyms(unit.first),
        ]
    if unit.scope == units.DECOMPOSITION:
        # Every thread that reads it, whole: an accepted decomposition reading also settles
        # its claims' senses of the terms it defines, before and after an edit. Without
        # readings a decomposition takes part in no conflict.
        threads = Reading.objects.filter(decomposition_id=unit.first).values_list(
            "claim__comment__thread_id", flat=True
        )
        return sorted({u for t in set(threads) for u in expand(units.whole_thread(t))})
    return [unit]


def _thread_term_units(threads: Q, term_id: int | None = None) -> list[units.Unit]:
    """Every (thread, term) with a sense reading, a mention, or a conflict of its own."""
    by_term = {} if term_id is None else {"term_id": term_id}
    thread_ids = Thread.objects.filter(threads).values("id")
    # DISTINCT in the database: a full rescan would otherwise fetch a row per reading and
    # per mention (millions) to keep a few hundred thousand pairs.
    pairs = set(
        Reading.objects.filter(
            kind=Reading.Kind.SENSE, claim__comment__thread_id__in=thread_ids, **by_term
        )
        .values_list("claim__comment__thread_id", "term_id")
        .distinct()
    )
    pairs |= set(
        Mention.objects.filter(comment__thread_id__in=thread_ids, **by_term)
        .values_list("comment__thread_id", "term_id")
        .distinct()
    )
    pairs |= set(
        Conflict.objects.filter(owned_by_any_thread_term(), thread_id__in=thread_ids, **by_term)
        .values_list("thread_id", "term_id")
        .distinct()
    )
    return sorted(units.thread_term(thread, term) for thread, term in pairs)


def owned_by_any_thread_term() -> Q:
    return Q(
        kind__in=[K.EQUIVOCATION, K.AMBIGUOUS_USAGE, K.CONTESTED_READING], term__isnull=False
    ) & Q(status__in=LIVE)


def find(detection_units: Iterable[units.Unit]) -> dict[units.Unit, list[Finding]]:
    """Run the rules of each (non fan-out) unit; thread-term units of one thread, and synonym
    units of one workspace, share a load."""
    found: dict[units.Unit, list[Finding]] = {}
    terms_by_thread: dict[int, list[int]] = defaultdict(list)
    synonym_terms = []
    for unit in detection_units:
        if unit.scope == units.THREAD_TERM:
            terms_by_thread[unit.first].append(unit.second)
        elif unit.scope == units.THREAD_DECOMPOSITIONS:
            loaded = snapshot.load_thread_decompositions(unit.first)
            found[unit] = _apply(THREAD_DECOMPOSITION_RULES, loaded)
        elif unit.scope == units.TERM_SYNONYMS:
            synonym_terms.append(unit.first)
        else:
            raise ValueError(f"{unit.key} is a fan-out unit; expand it first")
    if synonym_terms:
        loaded_synonyms = snapshot.load_terms_synonyms(synonym_terms)
        for term_id in synonym_terms:
            found[units.term_synonyms(term_id)] = _apply(
                TERM_SYNONYM_RULES, loaded_synonyms.get(term_id)
            )
    for thread_id, term_ids in terms_by_thread.items():
        loaded = snapshot.load_thread_terms(thread_id, term_ids)
        for term_id in term_ids:
            found[units.thread_term(thread_id, term_id)] = _apply(
                THREAD_TERM_RULES, loaded.get(term_id)
            )
    return found


def _apply(rules, loaded) -> list[Finding]:
    # A unit whose thread or term is gone finds nothing, so its conflicts go obsolete.
    if loaded is None:
        return []
    return [finding for rule in rules for finding in rule.detect(loaded)]


def save(unit: units.Unit, findings: list[Finding]) -> DetectionResult:
    """Upsert a unit's findings and retire its conflicts that were not found again."""
    return save_all({unit: findings})


def owned_by_all(detection_units: Iterable[units.Unit]) -> Q:
    """The conflicts some of these units answer for, as one compact filter: the units of a
    thread share one term list, so a batch of hundreds of units stays a short query."""
    terms_by_thread: dict[int, list[int]] = defaultdict(list)
    decomposition_threads, synonym_terms = [], []
    for unit in detection_units:
        if unit.scope == units.THREAD_TERM:
            terms_by_thread[unit.first].append(unit.second)
        elif unit.scope == units.THREAD_DECOMPOSITIONS:
            decomposition_threads.append(unit.first)
        elif unit.scope == units.TERM_SYNONYMS:
            synonym_terms.append(unit.first)
        else:
            owned_by(unit)  # raises for a fan-out unit
    owned = Q(pk__in=[])
    if terms_by_thread:
        pairs = Q(pk__in=[])
        for thread_id, term_ids in terms_by_thread.items():
            pairs |= Q(thread_id=thread_id, term_id__in=term_ids)
        owned |= Q(kind__in=[K.EQUIVOCATION, K.AMBIGUOUS_USAGE, K.CONTESTED_READING]) & pairs
    if decomposition_threads:
        owned |= Q(thread_id__in=decomposition_threads) & (
            Q(kind=K.DECOMPOSITION_MISMATCH) | Q(kind=K.CONTESTED_READING, term__isnull=True)
        )
    if synonym_terms:
        owned |= Q(kind=K.SYNONYM_CANDIDATE) & (
            Q(term_id__in=synonym_terms) | Q(other_term_id__in=synonym_terms)
        )
    return owned


# What a finding decides about its conflict row; compared to tell a change from a re-detection.
_FINDING_FIELDS = ("evidence", "evidence_hash", "severity", "summary", "term_id")


@transaction.atomic
def save_all(found: dict[units.Unit, list[Finding]]) -> DetectionResult:
    """Upsert the findings of several units and retire their conflicts that were not found
    again, in a fixed number of queries however many units and conflicts there are.

    A conflict re-detected unchanged is not rewritten: only its `detected_at` moves, so the
    review queue's "most recently changed" order reflects real changes."""
    now = timezone.now()
    result = DetectionResult()
    by_fingerprint = {f.fingerprint: f for findings in found.values() for f in findings}
    known = set(
        Conflict.objects.filter(fingerprint__in=by_fingerprint).values_list(
            "fingerprint", flat=True
        )
    )
    # DO NOTHING on the unique fingerprint covers a concurrent run inserting the same one.
    Conflict.objects.bulk_create(
        [
            Conflict(
                workspace_id=f.workspace_id,
                thread_id=f.thread_id,
                term_id=f.term_id,
                other_term_id=f.other_term_id,
                kind=f.kind,
                fingerprint=fingerprint,
                evidence_hash=f.evidence_hash,
                severity=f.severity,
                summary=f.summary[:500],
                evidence=f.evidence,
                detected_at=now,
            )
            for fingerprint, f in by_fingerprint.items()
            if fingerprint not in known
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    # Locked in id order, so two runs of overlapping units cannot deadlock on these rows.
    conflicts = list(
        Conflict.objects.select_for_update()
        .filter(Q(fingerprint__in=by_fingerprint) | (owned_by_all(found) & Q(status__in=LIVE)))
        .order_by("id")
    )
    reviewed = set(
        ConflictReview.objects.filter(conflict__in=[c.id for c in conflicts]).values_list(
            "conflict_id", flat=True
        )
    )
    history, changed, unchanged = [], [], []
    for conflict in conflicts:
        finding = by_fingerprint.get(conflict.fingerprint)
        if finding is None:
            history.append(_move(conflict, S.OBSOLETE, "obsolete", "The evidence is gone."))
            result.obsoleted += 1
            conflict.updated_at = now
            changed.append(conflict)
            continue
        status = conflict.status
        if conflict.id not in reviewed:
            history.append(_move(conflict, conflict.status, "detected", finding.summary))
            result.created += 1
        if conflict.status == S.OBSOLETE:
            history.append(_move(conflict, S.OPEN, "reopen", "The evidence is back."))
            result.reopened += 1
        elif conflict.evidence_hash != finding.evidence_hash and conflict.status in (
            S.DISMISSED,
            S.RESOLVED,
        ):
            history.append(_move(conflict, S.OPEN, "reopen", "The evidence changed."))
            result.reopened += 1
        if conflict.evidence != finding.evidence or conflict.severity != finding.severity:
            result.updated += 1
        new = {
            "evidence": finding.evidence,
            "evidence_hash": finding.evidence_hash,
            "severity": finding.severity,
            "summary": finding.summary[:500],
            "term_id": finding.term_id,
        }
        if conflict.status == status and all(
            getattr(conflict, field) == new[field] for field in _FINDING_FIELDS
        ):
            unchanged.append(conflict.id)
            continue
        for field, value in new.items():
            setattr(conflict, field, value)
        conflict.detected_at = conflict.updated_at = now
        changed.append(conflict)
    Conflict.objects.bulk_update(
        changed, ["status", *_FINDING_FIELDS, "detected_at", "updated_at"], batch_size=200
    )
    Conflict.objects.filter(id__in=unchanged).update(detected_at=now)
    ConflictReview.objects.bulk_create(history, batch_size=1000)
    return result


def _move(conflict: Conflict, status: str, action: str, note: str) -> ConflictReview:
    """A status change by the detector (no actor), recorded in the review history."""
    entry = ConflictReview(
        conflict=conflict, action=action, from_status=conflict.status, to_status=status, note=note
    )
    conflict.status = status
    return entry


def run(keys: Iterable[str]) -> DetectionResult:
    """Detect for outbox keys, expanding fan-out units."""
    expanded = sorted({u for key in keys for u in expand(units.Unit.parse(key))})
    return save_all(find(expanded))


def all_units(thread_id: int | None = None) -> list[units.Unit]:
    """Every unit that can hold a conflict: the full rescan, or one thread's part of it."""
    threads = Q() if thread_id is None else Q(id=thread_id)
    found = set(_thread_term_units(threads))
    decomposition_threads = Reading.objects.filter(kind=Reading.Kind.DECOMPOSITION)
    conflicted_threads = Conflict.objects.filter(
        Q(kind=K.DECOMPOSITION_MISMATCH) | Q(kind=K.CONTESTED_READING, term__isnull=True)
    ).filter(status__in=LIVE)
    if thread_id is not None:
        decomposition_threads = decomposition_threads.filter(claim__comment__thread_id=thread_id)
        conflicted_threads = conflicted_threads.filter(thread_id=thread_id)
    found |= {
        units.thread_decompositions(t)
        for t in decomposition_threads.values_list(
            "claim__comment__thread_id", flat=True
        ).distinct()
    }
    found |= {
        units.thread_decompositions(t)
        for t in conflicted_threads.values_list("thread_id", flat=True)
    }
    # Synonyms span a workspace; a one-thread rescan checks the terms read in that thread.
    term_ids = {u.second for u in found if u.scope == units.THREAD_TERM}
    if thread_id is None:
        term_ids |= set(Definition.objects.values_list("term_id", flat=True).distinct())
        term_ids |= set(
            Conflict.objects.filter(kind=K.SYNONYM_CANDIDATE)
            .filter(status__in=LIVE)
            .values_list("term_id", flat=True)
        )
    found |= {units.term_synonyms(t) for t in term_ids if t is not None}
    return sorted(found)


def rescan(thread_id: int | None = None, batch: int = 200) -> DetectionResult:
    """Recompute every conflict (or one thread's), loading a thread's units together."""
    result = DetectionResult()
    pending = all_units(thread_id)
    for start in range(0, len(pending), batch):
        result += save_all(find(pending[start : start + batch]))
    return result

"""Running detection: a unit's rules over its snapshot, then an idempotent upsert by fingerprint.

Every conflict belongs to the unit that finds it; after a run, the unit's conflicts that were
not found again have lost their evidence and become obsolete. Conflicts are inserted with
ON CONFLICT DO NOTHING on the unique fingerprint and then updated under a row lock, so two
workers running the same unit at once, or a retried job, never create a duplicate.
"""

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from django.db import connection, transaction
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
    synonym_candidate,
)
from apps.core.db import insert_new
from apps.forum.models import Thread
from apps.glossary.models import Definition, Term

S = Conflict.Status
K = Conflict.Kind
# Only these go obsolete when their evidence disappears; a dismissed or resolved conflict keeps
# the reviewer's verdict (and its history) instead.
LIVE = (S.OPEN, S.CONFIRMED)
# What a thread's decomposition unit owns, besides its thread.
_THREAD_DECOMPOSITIONS_KINDS = Q(kind=K.DECOMPOSITION_MISMATCH) | Q(
    kind=K.CONTESTED_READING, term__isnull=True
)


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
        return Q(thread_id=unit.first) & _THREAD_DECOMPOSITIONS_KINDS
    if unit.scope == units.TERM_SYNONYMS:
        return Q(kind=K.SYNONYM_CANDIDATE) & (Q(term_id=unit.first) | Q(other_term_id=unit.first))
    raise ValueError(f"{unit.key} is a fan-out unit; expand it first")


def owner(conflict: Conflict) -> units.Unit:
    """The unit that answers for a conflict (the inverse of `owned_by`)."""
    if conflict.kind == K.SYNONYM_CANDIDATE:
        return units.term_synonyms(conflict.term_id)
    if conflict.kind == K.DECOMPOSITION_MISMATCH or conflict.term_id is None:
        return units.thread_decompositions(conflict.thread_id)
    return units.thread_term(conflict.thread_id, conflict.term_id)


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


# Threads loaded together: a few queries for all of them, memory for one group only.
CHUNK = 500
TABLE = Conflict._meta.db_table


def find(
    detection_units: Iterable[units.Unit], glossary: snapshot.Glossary | None = None
) -> dict[units.Unit, list[Finding]]:
    """Run the rules of each (non fan-out) unit; the thread units of many threads share one
    load, and so do the synonym units of one workspace."""
    glossary = glossary or snapshot.Glossary()
    found: dict[units.Unit, list[Finding]] = {}
    by_thread: dict[int, list[units.Unit]] = defaultdict(list)
    synonym_terms = []
    for unit in detection_units:
        if unit.scope in (units.THREAD_TERM, units.THREAD_DECOMPOSITIONS):
            by_thread[unit.first].append(unit)
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
    threads = sorted(by_thread)
    for start in range(0, len(threads), CHUNK):
        chunk = [u for t in threads[start : start + CHUNK] for u in by_thread[t]]
        loaded = snapshot.load_threads(
            {u.first for u in chunk},
            glossary,
            term_ids={u.second for u in chunk if u.scope == units.THREAD_TERM},
            decompositions=any(u.scope == units.THREAD_DECOMPOSITIONS for u in chunk),
        )
        found |= {unit: _judge(unit, loaded) for unit in chunk}
    return found


def _judge(unit: units.Unit, loaded: snapshot.ThreadsSnapshot) -> list[Finding]:
    if unit.scope == units.THREAD_TERM:
        return _apply(THREAD_TERM_RULES, loaded.terms.get((unit.first, unit.second)))
    return _apply(THREAD_DECOMPOSITION_RULES, loaded.decompositions.get(unit.first))


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
        owned |= Q(thread_id__in=decomposition_threads) & _THREAD_DECOMPOSITIONS_KINDS
    if synonym_terms:
        owned |= Q(kind=K.SYNONYM_CANDIDATE) & (
            Q(term_id__in=synonym_terms) | Q(other_term_id__in=synonym_terms)
        )
    return owned


# What a finding decides about its conflict row.
_FINDING_FIELDS = ("evidence", "evidence_hash", "evidence_digest", "severity", "summary", "term_id")
# What a run reads of the conflicts it may change.
_STATE = ("status", "evidence_digest", "severity", "summary", "term_id")


@transaction.atomic
def save_all(found: dict[units.Unit, list[Finding]], scope: Q | None = None) -> DetectionResult:
    """Upsert the findings of several units and retire their conflicts that were not found
    again, in a fixed number of queries however many units and conflicts there are. `scope`,
    where the caller can say it briefly, holds every conflict the units find or answer for
    (a rescan chunk: those of its threads); by default the filter is built from both.

    A conflict found again with the same evidence is not written at all: most findings of a
    periodic rescan are, writing them was most of its cost, and the review queue's "most
    recently changed" order then reflects real changes only."""
    now = timezone.now()
    result = DetectionResult()
    by_fingerprint = {f.fingerprint: f for findings in found.values() for f in findings}
    # Read without locks first: a conflict that needs no write needs no lock either.
    if scope is None:
        scope = Q(fingerprint__in=by_fingerprint) | (owned_by_all(found) & Q(status__in=LIVE))
    stored = Conflict.objects.filter(scope).values_list("id", "fingerprint", *_STATE)
    pending, known = set(), set()
    for pk, fingerprint, *state in stored:
        if fingerprint not in by_fingerprint and state[0] not in LIVE:
            continue  # a verdict or an obsolete conflict, not found again: nothing to do
        known.add(fingerprint)
        if not _unchanged(state, by_fingerprint.get(fingerprint)):
            pending.add(pk)
    new = [f for fingerprint, f in by_fingerprint.items() if fingerprint not in known]
    inserted = _insert(new, now)
    result.created = len(inserted)
    # A concurrent run inserted these first; they are saved like the others.
    lost = [f.fingerprint for f in new if f.fingerprint not in inserted]
    if not pending and not lost:
        return result
    # Locked in id order, so two runs of overlapping units cannot deadlock on these rows, and
    # read again: another run may have changed them since.
    conflicts = list(
        Conflict.objects.select_for_update()
        .filter(Q(id__in=pending) | Q(fingerprint__in=lost))
        .order_by("id")
        .values("id", "fingerprint", "evidence_hash", *_STATE)
    )
    history, changed, obsolete = [], [], []
    for conflict in conflicts:
        finding = by_fingerprint.get(conflict["fingerprint"])
        status = conflict["status"]
        if finding is None:
            if status in LIVE:
                history.append(_move(conflict, S.OBSOLETE, "obsolete", "The evidence is gone."))
                result.obsoleted += 1
                obsolete.append(conflict["id"])
            continue
        same_evidence = conflict["evidence_digest"] == finding.evidence_digest
        if status == S.OBSOLETE:
            history.append(_move(conflict, S.OPEN, "reopen", "The evidence is back."))
            result.reopened += 1
        elif (
            not same_evidence
            and conflict["evidence_hash"] != finding.evidence_hash
            and status in (S.DISMISSED, S.RESOLVED)
        ):
            history.append(_move(conflict, S.OPEN, "reopen", "The evidence changed."))
            result.reopened += 1
        if not same_evidence or conflict["severity"] != finding.severity:
            result.updated += 1
        if conflict["status"] == status and _unchanged(
            [conflict[column] for column in _STATE], finding
        ):
            continue
        changed.append(
            Conflict(
                id=conflict["id"],
                status=conflict["status"],
                evidence=finding.evidence,
                evidence_hash=finding.evidence_hash,
                evidence_digest=finding.evidence_digest,
                severity=finding.severity,
                summary=finding.summary[:500],
                term_id=finding.term_id,
                detected_at=now,
                updated_at=now,
            )
        )
    Conflict.objects.bulk_update(
        changed, ["status", *_FINDING_FIELDS, "detected_at", "updated_at"], batch_size=200
    )
    Conflict.objects.filter(id__in=obsolete).update(status=S.OBSOLETE, updated_at=now)
    insert_new(ConflictReview, history)
    return result


def _unchanged(state: list, finding: Finding | None) -> bool:
    """Whether a conflict in this state (the `_STATE` columns) is this finding as it stands."""
    status, digest, severity, summary, term_id = state
    return (
        finding is not None
        and status != S.OBSOLETE
        and (digest, severity, summary, term_id)
        == (finding.evidence_digest, finding.severity, finding.summary[:500], finding.term_id)
    )


_COLUMNS = (
    "workspace_id",
    "thread_id",
    "term_id",
    "other_term_id",
    "kind",
    "fingerprint",
    "evidence_hash",
    "evidence_digest",
    "severity",
    "summary",
    "evidence",
)
_INSERT = f"""
WITH added AS (
    INSERT INTO {TABLE} ({", ".join(_COLUMNS)}, status, detected_at, created_at, updated_at)
    -- The evidence is cast row by row: cast as a whole array, the planner folded the constant
    -- (half a second of planning for a chunk's 18,000 findings).
    SELECT {", ".join(_COLUMNS[:-1])}, evidence::jsonb, %(open)s, %(now)s, %(now)s, %(now)s
    FROM unnest(
        %(workspace_id)b::bigint[], %(thread_id)b::bigint[], %(term_id)b::bigint[],
        %(other_term_id)b::bigint[], %(kind)b::text[], %(fingerprint)b::text[],
        %(evidence_hash)b::text[], %(evidence_digest)b::text[], %(severity)b::int[],
        %(summary)b::text[], %(evidence)b::text[]) AS finding({", ".join(_COLUMNS)})
    ON CONFLICT DO NOTHING
    RETURNING id, fingerprint, summary
), logged AS (
    INSERT INTO {ConflictReview._meta.db_table}
        (conflict_id, action, from_status, to_status, note, created_at)
    SELECT id, 'detected', %(open)s, %(open)s, summary, %(now)s FROM added
)
SELECT fingerprint FROM added
"""


def _insert(findings: list[Finding], now: datetime) -> set[str]:
    """Insert new conflicts, each with its "detected" entry in the history; the fingerprints
    of those this run inserted. ON CONFLICT DO NOTHING on the unique fingerprint covers a
    concurrent run inserting the same one."""
    if not findings:
        return set()
    rows = [
        (
            f.workspace_id,
            f.thread_id,
            f.term_id,
            f.other_term_id,
            f.kind,
            f.fingerprint,
            f.evidence_hash,
            f.evidence_digest,
            f.severity,
            f.summary[:500],
        )
        for f in findings
    ]
    if connection.vendor != "postgresql":
        return _insert_elsewhere(findings, rows)
    # The rows hold every column but the evidence, which goes as its JSON text.
    params = dict(zip(_COLUMNS[:-1], map(list, zip(*rows, strict=True)), strict=True))
    params |= {"evidence": [f.evidence_json for f in findings], "open": S.OPEN, "now": now}
    connection.ensure_connection()
    # Server-side binding of binary arrays (psycopg's text format quotes every element in
    # Python: 3.7 s for 17,000 conflicts' evidence against 0.09 s), and the evidence as the
    # JSON text its digest was taken of: building model instances and letting Django prepare
    # each value cost more than the insert itself.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(_INSERT, params)
        return {fingerprint for (fingerprint,) in cursor.fetchall()}


def _insert_elsewhere(findings: list[Finding], rows: list[tuple]) -> set[str]:
    """`_insert` on SQLite (the embedded default): it keeps the database's write lock from a
    transaction's first write to its commit, so the rows of these fingerprints without a
    history are this run's."""
    Conflict.objects.bulk_create(
        [
            Conflict(**dict(zip(_COLUMNS[:-1], row, strict=True)), evidence=f.evidence)
            for f, row in zip(findings, rows, strict=True)
        ],
        ignore_conflicts=True,
    )
    added = Conflict.objects.filter(
        fingerprint__in=[f.fingerprint for f in findings], history__isnull=True
    ).values_list("id", "fingerprint", "summary")
    insert_new(
        ConflictReview,
        [
            ConflictReview(
                conflict_id=pk, action="detected", from_status=S.OPEN, to_status=S.OPEN, note=note
            )
            for pk, _, note in added
        ],
    )
    return {fingerprint for _, fingerprint, _ in added}


def _move(conflict: dict[str, Any], status: str, action: str, note: str) -> ConflictReview:
    """A status change by the detector (no actor), recorded in the review history."""
    entry = ConflictReview(
        conflict_id=conflict["id"],
        action=action,
        from_status=conflict["status"],
        to_status=status,
        note=note,
    )
    conflict["status"] = status
    return entry


def run(keys: Iterable[str]) -> DetectionResult:
    """Detect for outbox keys, expanding fan-out units."""
    with _snapshot():
        found = find(sorted({u for key in keys for u in expand(units.Unit.parse(key))}))
    return save_all(found)


def rescan(thread_id: int | None = None, chunk: int = CHUNK) -> DetectionResult:
    """Recompute every conflict (or one thread's, with the synonym units of the terms its
    units are about), streaming the threads in chunks: each chunk's units are listed from its
    own load and saved before the next is read, so memory stays at one chunk's."""
    glossary = snapshot.Glossary()
    if thread_id is not None:
        with _snapshot():
            found = _find_in_threads([thread_id], glossary)
            terms = {u.second for u in found if u.scope == units.THREAD_TERM}
            found |= find([units.term_synonyms(t) for t in sorted(terms)], glossary)
        return save_all(found)
    result = DetectionResult()
    for thread_ids in thread_chunks(chunk=chunk):
        result += rescan_threads(thread_ids, glossary)
    result += rescan_synonyms()
    return result


def thread_chunks(threads: list[int] | None = None, chunk: int = CHUNK) -> list[list[int]]:
    """These threads' ids (every thread's, by id, if None) in chunks of `chunk`: the full
    rescan's units of work."""
    if threads is None:
        threads = list(Thread.objects.order_by("id").values_list("id", flat=True))
    return [threads[start : start + chunk] for start in range(0, len(threads), chunk)]


def rescan_threads(thread_ids: list[int], glossary: snapshot.Glossary) -> DetectionResult:
    """One chunk of the full rescan: every thread unit of these threads, read as one snapshot
    and saved in one transaction."""
    with _collector_paused():
        with _snapshot():
            found = _find_in_threads(thread_ids, glossary)
        with _rescan_transaction():
            # What these units find is in these threads, and every unit of them with a live
            # conflict was judged: the same rows as listing fingerprints and units (a megabyte
            # of SQL, half a second to plan and run).
            result = save_all(found, scope=Q(thread_id__in=thread_ids))
    _analyze_if_grown(result.created)
    return result


def _analyze_if_grown(created: int) -> None:
    """Refresh the planner's statistics of the conflicts table once a chunk has grown it by a
    tenth, as autovacuum's analyze would: a first rescan fills it faster than autovacuum runs
    (or where it is off), and each later chunk's lookup, planned for a near-empty table, then
    scanned all of it (full scale: 17 s a chunk at 1.2M conflicts); the review queue's history
    lookup did the same (40 ms a page at 460k conflicts)."""
    if connection.vendor != "postgresql" or created < 1000:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE])
        (rows,) = cursor.fetchone()
        if created > 0.1 * max(rows, 0):
            # And the review history, which gains an entry with each new conflict.
            cursor.execute(f"ANALYZE {TABLE}, {ConflictReview._meta.db_table}")


def rescan_synonyms() -> DetectionResult:
    """The full rescan's synonym units: each workspace's, judged in one pass over its pairs of
    definitions (each pair once, not once per term of the pair)."""
    result = DetectionResult()
    with _collector_paused():
        for found in _find_synonyms():
            with _rescan_transaction():
                result += save_all(found)
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a rescan job judges and saves: its allocations made
    it walk the chunk's live snapshots and findings again and again (a third of the job's
    Python time). They hold few cycles, and the next collection after the job takes those."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _rescan_transaction() -> Iterator[None]:
    with transaction.atomic():
        _jit_off()
        if connection.vendor == "postgresql":
            # The commit does not wait for its WAL to reach the disk: a crash may lose the
            # last chunks' findings, which the next rescan finds again, never part of one.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        yield


@contextmanager
def _snapshot() -> Iterator[None]:
    """Loads see one state of the corpus: the rules join rows read by several statements, and
    under READ COMMITTED a write committing between two of them (a claim deleted after its
    readings were read) hands them rows that do not agree. That write's own job, which
    follows, sees it."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        _jit_off()
        yield


def _jit_off() -> None:
    if connection.vendor == "postgresql":
        # A rescan chunk's statements name thousands of rows, which the planner prices high
        # enough to compile them (JIT): 2 s a chunk, more than running them.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _find_in_threads(
    thread_ids: list[int], glossary: snapshot.Glossary
) -> dict[units.Unit, list[Finding]]:
    """The findings of every thread unit of these threads that can hold a conflict: those
    with a sense reading or a mention in a claim (nothing else can be found), and those
    with a live conflict to retire. The others are left out: saving them changes nothing."""
    loaded = snapshot.load_threads(thread_ids, glossary)
    live = Conflict.objects.filter(thread_id__in=thread_ids, status__in=LIVE)
    judged = {units.thread_term(thread, term) for thread, term in loaded.terms}
    judged |= {
        units.thread_term(thread, term)
        for thread, term in live.filter(owned_by_any_thread_term()).values_list(
            "thread_id", "term_id"
        )
    }
    judged |= {units.thread_decompositions(thread) for thread in loaded.decompositions}
    judged |= {
        units.thread_decompositions(thread)
        for thread in live.filter(_THREAD_DECOMPOSITIONS_KINDS).values_list("thread_id", flat=True)
    }
    return {unit: _judge(unit, loaded) for unit in judged}


def _find_synonyms() -> Iterator[dict[units.Unit, list[Finding]]]:
    """Each workspace's synonym units: its terms with definitions, or with a live candidate to
    retire."""
    with_definitions = Definition.objects.values("term_id")
    retire = Conflict.objects.filter(kind=K.SYNONYM_CANDIDATE, status__in=LIVE).values("term_id")
    terms: dict[int, list[int]] = defaultdict(list)
    for term_id, workspace_id in Term.objects.filter(
        Q(id__in=with_definitions) | Q(id__in=retire)
    ).values_list("id", "workspace_id"):
        terms[workspace_id].append(term_id)
    for workspace_id, term_ids in sorted(terms.items()):
        found: dict[units.Unit, list[Finding]] = {units.term_synonyms(t): [] for t in term_ids}
        with _snapshot():
            loaded = snapshot.load_workspace_synonyms(workspace_id)
        for finding in synonym_candidate.detect_workspace(loaded):
            found.setdefault(units.term_synonyms(finding.term_id), []).append(finding)
        yield found

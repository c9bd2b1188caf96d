"""Synonym candidate: two different terms with a definition each that state the same sense,
marked equivalent by a reviewer or near-identical in text."""

from collections import defaultdict

import numpy
from rapidfuzz import fuzz, process

from apps.conflicts.models import Conflict
from apps.conflicts.policy import NEAR_IDENTICAL, Severity
from apps.conflicts.rules.base import Finding, definition_evidence
from apps.conflicts.snapshot import (
    DefinitionInfo,
    TermSynonymsSnapshot,
    WorkspaceDefinitions,
    WorkspaceSynonymsSnapshot,
)

KIND = Conflict.Kind.SYNONYM_CANDIDATE


# Indel similarity is at most 2·min(la, lb) / (la + lb), so texts whose lengths differ by more
# than this factor can never be near-identical: only a window of lengths is compared.
_LENGTH_FACTOR = (2 - NEAR_IDENTICAL) / NEAR_IDENTICAL

# Two definitions of different terms: (one, other, similarity of their texts, marked equivalent).
Match = tuple[DefinitionInfo, DefinitionInfo, float, bool]


def _similar(shared: WorkspaceDefinitions, index: int, low: int, high: int) -> dict[int, float]:
    """The texts among shared.texts[low:high] near-identical to the one at `index`, by index,
    in one C-level pass."""
    return {
        low + found: score / 100
        for _, score, found in process.extract(
            shared.texts[index],
            shared.texts[low:high],
            scorer=fuzz.ratio,
            score_cutoff=NEAR_IDENTICAL * 100 - 1,
            limit=None,
        )
        if score / 100 >= NEAR_IDENTICAL
    }


def _window(shared: WorkspaceDefinitions, index: int) -> tuple[int, int]:
    length = shared.lengths[index]
    return shared.of_length(length / _LENGTH_FACTOR - 1, length * _LENGTH_FACTOR + 1)


def detect(snapshot: TermSynonymsSnapshot) -> list[Finding]:
    """One finding per pair of terms, with every matching pair of their definitions."""
    shared = snapshot.workspace
    matches: list[Match] = []
    for own in snapshot.own:
        index = shared.position[own.id]
        similar = _similar(shared, index, *_window(shared, index))
        marked = snapshot.marked.get(own.id, set())
        candidates = set(similar) | {shared.position[d] for d in marked if d in shared.position}
        for found in sorted(candidates):
            other = shared.definitions[found]
            if other.term_id != snapshot.term_id:
                matches.append((own, other, similar.get(found, 0.0), other.id in marked))
    return _findings(snapshot.workspace_id, matches)


# Texts compared at once in the full rescan's pass: a block's scores are a matrix of this many
# rows by the texts in their length window (a few MB).
_BLOCK = 128


def detect_workspace(snapshot: WorkspaceSynonymsSnapshot) -> list[Finding]:
    """Every term's findings at once, as `detect` finds them, comparing each pair of
    definitions once (the full rescan: the pairs of a workspace, not of each term), a block
    of texts against their window in one multi-threaded C call (`cdist`): one `extract` per
    text spent more time preparing the window's texts again than comparing them."""
    shared = snapshot.workspace
    marked = {frozenset(pair) for pair in snapshot.marked}
    pairs: dict[tuple[int, int], float] = {}
    for start in range(0, len(shared.texts), _BLOCK):
        stop = min(start + _BLOCK, len(shared.texts))
        # Sorted by length: the block's last text reaches furthest, and texts before the
        # block were compared with it already. Comparing beyond a text's own window finds
        # nothing more (the bound is exact).
        _, high = _window(shared, stop - 1)
        scores = process.cdist(
            shared.texts[start:stop],
            shared.texts[start:high],
            scorer=fuzz.ratio,
            score_cutoff=NEAR_IDENTICAL * 100 - 1,
            dtype=numpy.float64,
            workers=-1,
        )
        rows, columns = numpy.nonzero(scores >= NEAR_IDENTICAL * 100)
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            if column > row:
                pairs[start + row, start + column] = float(scores[row, column]) / 100
    for a, b in snapshot.marked:
        if a in shared.position and b in shared.position:
            pairs.setdefault(tuple(sorted((shared.position[a], shared.position[b]))), 0.0)
    matches: list[Match] = []
    for (i, j), similarity in pairs.items():
        one, other = shared.definitions[i], shared.definitions[j]
        if one.term_id != other.term_id:
            matches.append((one, other, similarity, frozenset((one.id, other.id)) in marked))
    return _findings(snapshot.workspace_id, matches)


def _findings(workspace_id: int, matches: list[Match]) -> list[Finding]:
    by_terms: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for one, other, similarity, marked in matches:
        first, second = sorted((one, other), key=lambda d: (d.term_id, d.id))
        by_terms[first.term_id, second.term_id].append(
            {
                "definitions": [definition_evidence(first), definition_evidence(second)],
                "marked_equivalent": marked,
                "similarity": round(similarity, 3),
            }
        )
    findings = []
    for (low, high), pairs in sorted(by_terms.items()):
        names = {d["term"]: d["term_name"] for m in pairs for d in m["definitions"]}
        pairs.sort(key=lambda m: [d["id"] for d in m["definitions"]])
        marked = any(m["marked_equivalent"] for m in pairs)
        findings.append(
            Finding(
                kind=KIND,
                identity=(low, high),
                severity=Severity.SYNONYM_MARKED if marked else Severity.SYNONYM_NEAR_IDENTICAL,
                summary=f"“{names[low]}” and “{names[high]}” may name the same concept",
                evidence={
                    "terms": [{"id": t, "name": names[t]} for t in (low, high)],
                    "pairs": pairs,
                },
                workspace_id=workspace_id,
                term_id=low,
                other_term_id=high,
            )
        )
    return findings

"""Synonym candidate: two different terms with a definition each that state the same sense,
marked equivalent by a reviewer or near-identical in text."""

from rapidfuzz import fuzz, process

from apps.conflicts.models import Conflict
from apps.conflicts.policy import NEAR_IDENTICAL, Severity, comparable_text
from apps.conflicts.rules.base import Finding, definition_evidence
from apps.conflicts.snapshot import TermSynonymsSnapshot

KIND = Conflict.Kind.SYNONYM_CANDIDATE


# Indel similarity is at most 2·min(la, lb) / (la + lb), so texts whose lengths differ by more
# than this factor can never be near-identical: only a window of lengths is compared.
_LENGTH_FACTOR = (2 - NEAR_IDENTICAL) / NEAR_IDENTICAL


def detect(snapshot: TermSynonymsSnapshot) -> list[Finding]:
    """One finding per pair of terms, with every matching pair of their definitions."""
    shared = snapshot.workspace
    pairs: dict[int, list[dict]] = {}
    for own in snapshot.own:
        text = comparable_text(own.text)
        low, high = shared.of_length(len(text) / _LENGTH_FACTOR - 1, len(text) * _LENGTH_FACTOR + 1)
        # One C-level pass over the workspace's definitions of comparable length.
        similar = {
            low + index: score / 100
            for _, score, index in process.extract(
                text,
                shared.texts[low:high],
                scorer=fuzz.ratio,
                score_cutoff=NEAR_IDENTICAL * 100 - 1,
                limit=None,
            )
            if score / 100 >= NEAR_IDENTICAL
        }
        marked = snapshot.marked.get(own.id, set())
        candidates = set(similar) | {shared.position[d] for d in marked if d in shared.position}
        for index in sorted(candidates):
            other = shared.definitions[index]
            if other.term_id == snapshot.term_id:
                continue
            first, second = sorted((own, other), key=lambda d: (d.term_id, d.id))
            pairs.setdefault(other.term_id, []).append(
                {
                    "definitions": [definition_evidence(first), definition_evidence(second)],
                    "marked_equivalent": other.id in marked,
                    "similarity": round(similar.get(index, 0.0), 3),
                }
            )
    findings = []
    for other_term, matches in sorted(pairs.items()):
        low, high = sorted((snapshot.term_id, other_term))
        names = {d["term"]: d["term_name"] for m in matches for d in m["definitions"]}
        matches.sort(key=lambda m: [d["id"] for d in m["definitions"]])
        marked = any(m["marked_equivalent"] for m in matches)
        findings.append(
            Finding(
                kind=KIND,
                identity=(low, high),
                severity=Severity.SYNONYM_MARKED if marked else Severity.SYNONYM_NEAR_IDENTICAL,
                summary=f"“{names[low]}” and “{names[high]}” may name the same concept",
                evidence={
                    "terms": [{"id": t, "name": names[t]} for t in (low, high)],
                    "pairs": matches,
                },
                workspace_id=snapshot.workspace_id,
                term_id=low,
                other_term_id=high,
            )
        )
    return findings

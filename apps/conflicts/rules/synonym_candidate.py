"""Synonym candidate: two different terms with a definition each that state the same sense,
marked equivalent by a reviewer or near-identical in text."""

from rapidfuzz import fuzz, process

from apps.conflicts.models import Conflict
from apps.conflicts.policy import NEAR_IDENTICAL, Severity, comparable_text
from apps.conflicts.rules.base import Finding, definition_evidence
from apps.conflicts.snapshot import TermSynonymsSnapshot

KIND = Conflict.Kind.SYNONYM_CANDIDATE


def detect(snapshot: TermSynonymsSnapshot) -> list[Finding]:
    """One finding per pair of terms, with every matching pair of their definitions."""
    if not snapshot.own or not snapshot.others:
        return []
    choices = [comparable_text(d.text) for d in snapshot.others]
    pairs: dict[int, list[dict]] = {}
    for own in snapshot.own:
        # One C-level pass over the workspace's definitions per definition of the term.
        similar = {
            index: score / 100
            for _, score, index in process.extract(
                comparable_text(own.text),
                choices,
                scorer=fuzz.ratio,
                score_cutoff=NEAR_IDENTICAL * 100,
                limit=None,
            )
        }
        for index, other in enumerate(snapshot.others):
            marked = frozenset((own.id, other.id)) in snapshot.marked
            if not marked and index not in similar:
                continue
            first, second = sorted((own, other), key=lambda d: (d.term_id, d.id))
            pairs.setdefault(other.term_id, []).append(
                {
                    "definitions": [definition_evidence(first), definition_evidence(second)],
                    "marked_equivalent": marked,
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

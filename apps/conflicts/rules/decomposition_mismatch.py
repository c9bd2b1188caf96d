"""Decomposition mismatch: a comment and a reply to it assume different decompositions that
define a term they share differently."""

from itertools import combinations

from apps.conflicts.models import Conflict
from apps.conflicts.policy import Consensus, Severity, consensus
from apps.conflicts.rules.base import (
    SAMPLE_PAIRS,
    Finding,
    chain_sample,
    chain_side,
    claim_evidence,
    definition_evidence,
    readings_sample,
)
from apps.conflicts.snapshot import ThreadDecompositionsSnapshot

KIND = Conflict.Kind.DECOMPOSITION_MISMATCH


def _shared_terms(snapshot: ThreadDecompositionsSnapshot, a: int, b: int) -> list[dict]:
    """Terms both decompositions define, where their senses differ."""
    senses = snapshot.senses
    by_term_a = {d.term_id: d for d in snapshot.definitions[a]}
    shared = []
    for definition_b in snapshot.definitions[b]:
        definition_a = by_term_a.get(definition_b.term_id)
        if definition_a and senses.of(definition_a.id) != senses.of(definition_b.id):
            shared.append(
                {
                    "id": definition_b.term_id,
                    "name": definition_b.term_name,
                    "definitions": [
                        definition_evidence(definition_a),
                        definition_evidence(definition_b),
                    ],
                }
            )
    return sorted(shared, key=lambda t: t["id"])


def detect(snapshot: ThreadDecompositionsSnapshot) -> list[Finding]:
    accepted: dict[int, list] = {}
    for reading in snapshot.readings:
        if consensus(reading.votes_up, reading.votes_down) == Consensus.ACCEPTED:
            accepted.setdefault(reading.decomposition_id, []).append(reading)
    findings = []
    for a, b in combinations(sorted(accepted), 2):
        chains, chains_total = snapshot.tree.chain_pairs(
            chain_side(accepted[a]), chain_side(accepted[b]), SAMPLE_PAIRS, same_comment=False
        )
        shared = _shared_terms(snapshot, a, b)
        if not chains_total or not shared:
            continue
        names = [snapshot.names.get(a, ""), snapshot.names.get(b, "")]
        findings.append(
            Finding(
                kind=KIND,
                identity=(snapshot.thread_id, a, b),
                severity=Severity.DECOMPOSITION_MISMATCH,
                summary=(
                    f"A comment and a reply assume different decompositions (“{names[0]}” and "
                    f"“{names[1]}”) that define “{shared[0]['name']}” differently"
                ),
                evidence={
                    "decompositions": [
                        {
                            "id": d,
                            "name": name,
                            "claims": [
                                claim_evidence(r.claim, r)
                                for r in readings_sample(accepted[d], chains)
                            ],
                            "claims_total": len(accepted[d]),
                        }
                        for d, name in zip((a, b), names, strict=True)
                    ],
                    "shared_terms": shared,
                    **chain_sample(chains, chains_total),
                },
                workspace_id=snapshot.workspace_id,
                thread_id=snapshot.thread_id,
                term_id=shared[0]["id"],
            )
        )
    return findings

"""Equivocation: in one thread a term is read in two different senses, both with consensus."""

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
from apps.conflicts.snapshot import ThreadTermSnapshot

KIND = Conflict.Kind.EQUIVOCATION


def detect(snapshot: ThreadTermSnapshot) -> list[Finding]:
    """One finding per pair of senses, quoting accepted readings of each (a sample, with the
    totals), so ten claims a side make one conflict to review, not a hundred."""
    by_sense: dict[int, list] = {}
    for reading in snapshot.readings:
        if consensus(reading.votes_up, reading.votes_down) == Consensus.ACCEPTED:
            sense = snapshot.senses.of(reading.definition_id)
            by_sense.setdefault(sense, []).append(reading)
    chain_sides = {sense: chain_side(readings) for sense, readings in by_sense.items()}
    findings = []
    for first, second in combinations(sorted(by_sense), 2):
        chains, chains_total = snapshot.tree.chain_pairs(
            chain_sides[first], chain_sides[second], SAMPLE_PAIRS
        )
        sides = [
            {
                "definitions": [definition_evidence(d) for d in snapshot.senses.members(sense)],
                "claims": [
                    claim_evidence(r.claim, r) | {"definition": r.definition_id}
                    for r in readings_sample(by_sense[sense], chains)
                ],
                "claims_total": len(by_sense[sense]),
            }
            for sense in (first, second)
        ]
        talking_past = chains_total > 0
        findings.append(
            Finding(
                kind=KIND,
                identity=(snapshot.thread_id, snapshot.term_id, first, second),
                severity=(
                    Severity.EQUIVOCATION_IN_REPLY_CHAIN if talking_past else Severity.EQUIVOCATION
                ),
                summary=(
                    f"“{snapshot.term_name}” is read in two different senses"
                    + (
                        " in a reply chain: people are talking past each other"
                        if talking_past
                        else ""
                    )
                ),
                evidence={
                    "term": {"id": snapshot.term_id, "name": snapshot.term_name},
                    "senses": sides,
                    **chain_sample(chains, chains_total),
                },
                workspace_id=snapshot.workspace_id,
                thread_id=snapshot.thread_id,
                term_id=snapshot.term_id,
            )
        )
    return findings

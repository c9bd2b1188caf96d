"""Contested reading: votes on which sense or decomposition a claim relies on are split."""

from apps.conflicts.models import Conflict
from apps.conflicts.policy import Consensus, Severity, consensus
from apps.conflicts.rules.base import Finding, claim_evidence
from apps.conflicts.snapshot import ThreadDecompositionsSnapshot, ThreadTermSnapshot

KIND = Conflict.Kind.CONTESTED_READING


def detect(snapshot: ThreadTermSnapshot | ThreadDecompositionsSnapshot) -> list[Finding]:
    findings = []
    for reading in snapshot.readings:
        if consensus(reading.votes_up, reading.votes_down) != Consensus.CONTESTED:
            continue
        if reading.decomposition_id is not None:
            name = snapshot.names.get(reading.decomposition_id, "")
            what = {"decomposition": {"id": reading.decomposition_id, "name": name}}
            summary = f"Split votes on whether the claim assumes the decomposition “{name}”"
        else:
            definition = snapshot.senses.definitions.get(reading.definition_id)
            what = {
                "term": {"id": snapshot.term_id, "name": snapshot.term_name},
                "definition": {
                    "id": reading.definition_id,
                    "label": definition.label if definition else "",
                    "text": definition.text if definition else "",
                },
            }
            summary = f"Split votes on the sense of “{snapshot.term_name}” in a claim"
        findings.append(
            Finding(
                kind=KIND,
                identity=(reading.id,),
                severity=Severity.CONTESTED_READING,
                summary=summary,
                evidence={
                    "reading": reading.id,
                    "claim": claim_evidence(reading.claim, reading),
                    "votes_up": reading.votes_up,
                    "votes_down": reading.votes_down,
                    **what,
                },
                workspace_id=snapshot.workspace_id,
                thread_id=snapshot.thread_id,
                term_id=snapshot.term_id,
            )
        )
    return findings

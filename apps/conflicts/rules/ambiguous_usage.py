"""Ambiguous usage: a claim uses a term that has several senses in play, and nothing says
which one the claim means."""

from apps.conflicts.models import Conflict
from apps.conflicts.policy import Consensus, Severity, consensus
from apps.conflicts.rules.base import Finding, claim_evidence, definition_evidence
from apps.conflicts.snapshot import ThreadTermSnapshot

KIND = Conflict.Kind.AMBIGUOUS_USAGE


def detect(snapshot: ThreadTermSnapshot) -> list[Finding]:
    """Senses in play are the term's senses across its workspace (the corpus); a claim's sense
    is settled by an accepted sense reading, by stating a definition of the term, or by an
    accepted decomposition reading whose decomposition defines the term. A claim whose reading
    of the term is contested is left to the contested-reading rule, not flagged twice."""
    senses = snapshot.senses.names
    if len(senses) < 2:
        return []
    read = {
        r.claim.id
        for r in snapshot.readings
        if consensus(r.votes_up, r.votes_down) in (Consensus.ACCEPTED, Consensus.CONTESTED)
    }
    in_play = [definition_evidence(snapshot.senses.definitions[sense]) for sense in senses]
    return [
        Finding(
            kind=KIND,
            identity=(claim.id, snapshot.term_id),
            severity=Severity.AMBIGUOUS_USAGE,
            summary=(
                f"A claim uses “{snapshot.term_name}”, which has {len(senses)} senses in play, "
                "without saying which"
            ),
            evidence={
                "term": {"id": snapshot.term_id, "name": snapshot.term_name},
                "claim": claim_evidence(claim),
                "senses": in_play,
            },
            workspace_id=snapshot.workspace_id,
            thread_id=snapshot.thread_id,
            term_id=snapshot.term_id,
        )
        for claim in snapshot.mentioned
        if claim.id not in read and claim.id not in snapshot.settled
    ]

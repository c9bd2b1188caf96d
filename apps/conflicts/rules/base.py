"""What every rule returns: a Finding, identified by a fingerprint of its kind and evidence."""

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from apps.conflicts.snapshot import ClaimInfo, DefinitionInfo, ReadingInfo

# Evidence that changes without changing what the conflict is about: tallies move with every
# vote, and a dismissed conflict should not reopen because someone voted; a reviewer marking a
# synonym candidate's definitions equivalent is resolving it, not giving it new evidence.
VOLATILE_KEYS = frozenset({"votes_up", "votes_down", "similarity", "marked_equivalent"})


# A reviewer reads a sample: evidence lists at most this many claims a side and claim pairs of a
# reply chain, with the totals (`claims_total`, `reply_chain_total`). Listing all of them made
# a hot term's evidence in a big thread 215 kB, and a page of the review queue megabytes.
SAMPLE_CLAIMS = 20
SAMPLE_PAIRS = 10


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _without_volatile(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_volatile(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [_without_volatile(v) for v in value]
    return value


@dataclass(frozen=True)
class Finding:
    kind: str
    # What makes two detections the same conflict (ids, never texts or tallies).
    identity: tuple
    severity: int
    summary: str
    evidence: dict
    workspace_id: int
    thread_id: int | None = None
    term_id: int | None = None
    other_term_id: int | None = None

    # Cached: saving compares them several times, and evidence can list hundreds of claims.
    @cached_property
    def fingerprint(self) -> str:
        return _digest([self.kind, *self.identity])

    @cached_property
    def evidence_hash(self) -> str:
        return _digest(_without_volatile(self.evidence))


class Rule(Protocol):
    """One conflict kind: reads a snapshot, returns findings; never touches the database."""

    KIND: str

    def detect(self, snapshot: Any) -> list[Finding]: ...


def claim_evidence(claim: ClaimInfo, reading: ReadingInfo | None = None) -> dict:
    evidence = {
        "claim": claim.id,
        "comment": claim.comment_id,
        "author": claim.author,
        "quote": claim.quote,
    }
    if reading is not None:
        evidence |= {
            "reading": reading.id,
            "votes_up": reading.votes_up,
            "votes_down": reading.votes_down,
        }
    return evidence


def definition_evidence(definition: DefinitionInfo) -> dict:
    return {
        "id": definition.id,
        "term": definition.term_id,
        "term_name": definition.term_name,
        "label": definition.label,
        "text": definition.text,
    }


def chain_sample(pairs: list[tuple[int, int]]) -> dict:
    """The first pairs of claims in one reply chain, and how many pairs there are."""
    return {
        "reply_chain": [list(pair) for pair in pairs[:SAMPLE_PAIRS]],
        "reply_chain_total": len(pairs),
    }


def readings_sample(readings: list[ReadingInfo], pairs: list[tuple[int, int]]) -> list:
    """At most SAMPLE_CLAIMS of the readings, in id order: those whose claims are in the pairs
    `chain_sample` shows first, so every claim it names is quoted."""
    shown = {claim for pair in pairs[:SAMPLE_PAIRS] for claim in pair}
    chosen = sorted(readings, key=lambda r: (r.claim.id not in shown, r.id))[:SAMPLE_CLAIMS]
    return sorted(chosen, key=lambda r: r.id)

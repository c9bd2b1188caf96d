"""What every rule returns: a Finding, identified by a fingerprint of its kind and evidence."""

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

import orjson

from apps.conflicts.snapshot import ChainSide, ClaimInfo, DefinitionInfo, ReadingInfo

# Evidence that changes without changing what the conflict is about: tallies move with every
# vote, and a dismissed conflict should not reopen because someone voted; a reviewer marking a
# synonym candidate's definitions equivalent is resolving it, not giving it new evidence.
VOLATILE_KEYS = frozenset({"votes_up", "votes_down", "similarity", "marked_equivalent"})


# A reviewer reads a sample: evidence lists at most this many claims a side and claim pairs of a
# reply chain, with the totals (`claims_total`, `reply_chain_total`). Listing all of them made
# a hot term's evidence in a big thread 215 kB, and a page of the review queue megabytes.
SAMPLE_CLAIMS = 20
SAMPLE_PAIRS = 10


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# The text a fingerprint is the hash of: `json.dumps([kind, *identity], sort_keys=True,
# default=str)`. It must never change: a fingerprint is a conflict's identity, and its parts
# are not stored to take it again. Identities are ids, for which the text is written directly:
# the encoder's per-call cost was a twentieth of a periodic rescan.
_FINGERPRINT_JSON = json.JSONEncoder(sort_keys=True, default=str)


def fingerprint_text(kind: str, identity: tuple) -> str:
    if all(type(part) is int for part in identity) and kind.isidentifier():
        return "".join(['["', kind, '"', *(f", {part}" for part in identity), "]"])
    return _FINGERPRINT_JSON.encode([kind, *identity])


# A volatile key with its value in evidence's JSON: a quote opens a key only (one inside a
# string is escaped, and a string value is never followed by a colon), and these keys hold
# numbers or booleans.
_KEYS = "|".join(sorted(VOLATILE_KEYS))
_VOLATILE = re.compile(f'("(?:{_KEYS})":)(?:-?[0-9][0-9.eE+-]*|true|false|null)')
_EVIDENCE_JSON = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def evidence_json(evidence: dict) -> str:
    """Evidence as conflict rows store it, and as its hashes read it: compact JSON with sorted
    keys. orjson, as a rescan encodes the evidence of every finding to tell whether it changed
    (the standard library's encoder took a sixth of a periodic rescan). Changing this text
    changes every hash: a migration then takes them again (see 0007)."""
    return orjson.dumps(evidence, default=str, option=_EVIDENCE_JSON).decode()


def evidence_hash(text: str) -> str:
    """Of evidence's JSON (`evidence_json`): tells a change of what a conflict is about, as the
    volatile values do not count. Taken of the text with those values blanked by one regular
    expression: a tenth of the cost of rebuilding the evidence without them, which a first
    rescan did for a million conflicts."""
    return _sha256(_VOLATILE.sub(_blank, text))


def _blank(match: re.Match) -> str:
    # A function, not the template r"\1null": Python expands a template per match in Python
    # code, at twice the cost.
    return match[1] + "null"


def evidence_digest(text: str) -> str:
    """Of evidence's JSON: tells whether a finding's evidence is exactly its conflict row's,
    tallies included."""
    return _sha256(text)


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
        return _sha256(fingerprint_text(self.kind, self.identity))

    @cached_property
    def evidence_json(self) -> str:
        return evidence_json(self.evidence)

    @cached_property
    def evidence_hash(self) -> str:
        return evidence_hash(self.evidence_json)

    # A re-detection whose digest is its row's changes nothing, which a rescan tells without
    # a round trip to the database.
    @cached_property
    def evidence_digest(self) -> str:
        return evidence_digest(self.evidence_json)


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


def chain_side(readings: list[ReadingInfo]) -> ChainSide:
    """The readings' claims as a side of `ReplyTree.chain_pairs`."""
    return ChainSide((r.claim.comment_id, r.claim.id) for r in readings)


def chain_sample(pairs: list[tuple[int, int]], total: int) -> dict:
    """The first pairs of claims in one reply chain (`ReplyTree.chain_pairs` with
    SAMPLE_PAIRS), and how many pairs there are."""
    return {"reply_chain": [list(pair) for pair in pairs], "reply_chain_total": total}


def readings_sample(readings: list[ReadingInfo], pairs: list[tuple[int, int]]) -> list:
    """At most SAMPLE_CLAIMS of the readings, in id order: those whose claims are in the pairs
    `chain_sample` shows, so every claim it names is quoted."""
    shown = {claim for pair in pairs for claim in pair}
    chosen = sorted(readings, key=lambda r: (r.claim.id not in shown, r.id))[:SAMPLE_CLAIMS]
    return sorted(chosen, key=lambda r: r.id)

"""The conflict rules, one module per kind, grouped by the detection unit they read."""

from apps.conflicts.rules import (
    ambiguous_usage,
    contested_reading,
    decomposition_mismatch,
    equivocation,
    synonym_candidate,
)
from apps.conflicts.rules.base import Finding, Rule

THREAD_TERM_RULES: list[Rule] = [equivocation, contested_reading, ambiguous_usage]
THREAD_DECOMPOSITION_RULES: list[Rule] = [decomposition_mismatch, contested_reading]
TERM_SYNONYM_RULES: list[Rule] = [synonym_candidate]

__all__ = [
    "TERM_SYNONYM_RULES",
    "THREAD_DECOMPOSITION_RULES",
    "THREAD_TERM_RULES",
    "Finding",
    "Rule",
    "synonym_candidate",
]

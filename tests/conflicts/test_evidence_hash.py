"""The evidence hash blanks exactly the volatile values, wherever they are and whatever the
texts around them say."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.conflicts.models import Conflict
from apps.conflicts.rules.base import (
    VOLATILE_KEYS,
    evidence_hash,
    evidence_json,
    fingerprint_text,
)

# Texts that look like volatile keys, to try to fool the blanking from inside a string.
TRICKY = st.sampled_from(['"votes_up": 3', 'x", "similarity": 0.5, "', '\\"votes_down\\": 1'])
KEYS = st.sampled_from(sorted(VOLATILE_KEYS | {"claim", "quote", "label", "id"}))
SCALARS = st.one_of(
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.text(max_size=20),
    TRICKY,
)
EVIDENCE = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(KEYS, TRICKY), inner, max_size=5)
    ),
    max_leaves=30,
)


def blanked(value):
    """The reference: every volatile key's value, if a scalar, replaced by None."""
    if isinstance(value, dict):
        return {
            k: None if k in VOLATILE_KEYS and not isinstance(v, dict | list | str) else blanked(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [blanked(v) for v in value]
    return value


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.one_of(KEYS, TRICKY), EVIDENCE, max_size=6))
def test_the_hash_is_the_hash_of_the_evidence_with_volatile_values_blanked(evidence):
    assert evidence_hash(evidence_json(evidence)) == evidence_hash(evidence_json(blanked(evidence)))


def test_tallies_do_not_change_the_hash_and_the_rest_does():
    def claim(up: int, quote: str) -> dict:
        return {"claims": [{"claim": 1, "quote": quote, "votes_up": up, "votes_down": 0}]}

    same = evidence_hash(evidence_json(claim(1, "a")))
    assert evidence_hash(evidence_json(claim(7, "a"))) == same
    assert evidence_hash(evidence_json(claim(1, "b"))) != same
    assert evidence_hash(evidence_json(claim(1, '"votes_up": 1'))) != evidence_hash(
        evidence_json(claim(1, '"votes_up": 2'))
    )


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(list(Conflict.Kind)),
    st.lists(st.one_of(st.integers(), st.integers(0, 10**6), st.text(max_size=5)), max_size=5),
)
def test_a_fingerprint_is_taken_of_the_text_it_always_was(kind, identity):
    """Fingerprints are identities: the text written directly for ids must be the encoder's."""
    expected = json.dumps([kind, *identity], sort_keys=True, default=str)
    assert fingerprint_text(kind, tuple(identity)) == expected

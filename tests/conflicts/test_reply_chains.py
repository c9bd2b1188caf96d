"""`ReplyTree.chain_pairs` against the pairwise definition it replaces, on random reply trees."""

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.conflicts.snapshot import ChainSide, ReplyTree


@st.composite
def trees_and_sides(draw):
    """A reply tree of up to 40 comments (chains, fans and several roots), claims on them, and
    two sides of readings drawn from those claims (a claim can be read twice on a side)."""
    size = draw(st.integers(1, 40))
    parents: dict[int, int | None] = {1: None}
    for comment in range(2, size + 1):
        parents[comment] = draw(
            st.one_of(st.none(), st.just(comment - 1), st.integers(1, comment - 1))
        )
    claims = draw(st.lists(st.integers(1, size), min_size=1, max_size=60))
    readings = st.lists(st.integers(0, len(claims) - 1), max_size=25)
    first = [(claims[i], 1000 + i) for i in draw(readings)]
    second = [(claims[i], 1000 + i) for i in draw(readings)]
    return ReplyTree(parents), first, second


def pairwise(tree, first, second, same_comment):
    def in_chain(a, b):
        return a == b or a in tree.ancestors(b) or b in tree.ancestors(a)

    return sorted(
        (x, y)
        for cx, x in first
        for cy, y in second
        if x != y and (same_comment or cx != cy) and in_chain(cx, cy)
    )


@settings(max_examples=400, deadline=None)
@given(trees_and_sides(), st.sampled_from([1, 3, 10, 10_000]), st.booleans())
def test_chain_pairs_are_the_pairwise_pairs(case, limit, same_comment):
    tree, first, second = case
    expected = pairwise(tree, first, second, same_comment)
    assert tree.chain_pairs(ChainSide(first), ChainSide(second), limit, same_comment) == (
        expected[:limit],
        len(expected),
    )


def test_a_long_chain_counts_its_pairs_without_listing_them():
    """One comment read in one sense, a chain of 2,000 replies below it read in the other."""
    tree = ReplyTree({1: None} | {c: c - 1 for c in range(2, 2002)})
    first = [(1, 1)]
    second = [(c, c) for c in range(2, 2002)]
    sample, total = tree.chain_pairs(ChainSide(first), ChainSide(second), 10)
    assert (sample, total) == ([(1, c) for c in range(2, 12)], 2000)

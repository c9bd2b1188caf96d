"""`manage.py load_demo`: demo threads, users and annotations holding each kind of conflict."""

from difflib import SequenceMatcher
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from apps.accounts.models import User
from apps.accounts.roles import is_reviewer
from apps.annotations.models import Claim, Reading, Vote
from apps.conflicts.models import Conflict, ConflictReview
from apps.forum.models import Comment, Thread
from apps.glossary.models import Decomposition, Definition, DefinitionEquivalence, Term
from apps.imports.demo import annotations as plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def output() -> str:
    return _load()


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _claim(key: str) -> Claim:
    return Claim.objects.select_related("comment").get(quote=plan.CLAIMS[key].quote)


def _definition(key: str) -> Definition:
    return Definition.objects.select_related("term").get(text=plan.DEFINITIONS[key].text)


def _ancestor_ids(comment: Comment) -> list[int]:
    ids = []
    while comment.parent_id is not None:
        comment = Comment.objects.get(pk=comment.parent_id)
        ids.append(comment.id)
    return ids


def _only_reading(key: str) -> Reading:
    readings = list(Reading.objects.filter(claim=_claim(key)).select_related("term"))
    assert len(readings) == 1, key
    return readings[0]


def test_imports_each_demo_thread_with_its_reply_tree(output: str) -> None:
    threads = {thread.source: thread for thread in Thread.objects.all()}
    assert set(threads) == {"alignment_forum", "text", "discourse"}

    forum = threads["alignment_forum"]
    assert forum.source_url.startswith("https://www.alignmentforum.org/posts/")
    comments = list(forum.comments.all())
    assert 9 <= len(comments) <= 13  # the post and 8 to 12 comments
    assert max(len(_ancestor_ids(comment)) for comment in comments) >= 3

    # The text importer split the paste at its "N comments" line: a post and its replies.
    pasted = threads["text"].comments.all()
    assert [c.parent_id is None for c in pasted] == [True] + [False] * (len(pasted) - 1)
    assert len(pasted) == 6
    assert threads["text"].title == "Robustness is three words wearing one coat"


def test_creates_the_demo_users_with_their_roles(output: str) -> None:
    users = {user.username: user for user in User.objects.all()}
    assert set(users) == {"demo", "alice", "bob", "rita", "admin"}
    assert all(user.check_password(plan.PASSWORD) for user in users.values())
    # Superusers hold every permission, so admin reviews too.
    assert {name for name, user in users.items() if is_reviewer(user)} == {"demo", "rita", "admin"}
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not users["demo"].is_staff


def test_fills_the_glossary(output: str) -> None:
    senses = {term.name: term.definitions.count() for term in Term.objects.all()}
    assert senses == {
        "outer alignment": 3,
        "inner alignment": 2,
        "objective robustness": 1,
        "robustness": 3,
        "mesa-optimizer": 2,
        "goal misgeneralisation": 1,
    }
    mesa = Term.objects.get(name="mesa-optimizer")
    assert set(mesa.variants.values_list("text", flat=True)) >= {"learned optimizer"}
    # Every definition taken from a thread points at the claim that states it.
    assert not Definition.objects.filter(source_claim=None).exists()

    decompositions = Decomposition.objects.prefetch_related("definitions__term")
    assert {d.name for d in decompositions} == {
        "Training-distribution split",
        "Infinite-data split",
        "Deployment-reward split",
    }
    for decomposition in decompositions:
        terms = [d.term.name for d in decomposition.definitions.all()]
        assert len(terms) == 2 and "outer alignment" in terms, decomposition.name


def test_claims_quote_their_comment_at_their_offsets(output: str) -> None:
    claims = Claim.objects.select_related("comment")
    assert claims.count() == len(plan.CLAIMS)
    for claim in claims:
        assert claim.comment.text[claim.start : claim.end] == claim.quote
        assert claim.anchor == Claim.Anchor.ANCHORED


def test_tallies_match_the_votes(output: str) -> None:
    assert Reading.objects.count() == len(plan.READINGS)
    for reading in Reading.objects.all():
        votes = list(Vote.objects.filter(reading=reading).values_list("value", flat=True))
        assert (reading.votes_up, reading.votes_down) == (votes.count(1), votes.count(-1))


def test_equivocation_two_senses_of_outer_alignment_in_one_reply_chain(output: str) -> None:
    first_key, second_key = plan.EQUIVOCATION
    first, second = _only_reading(first_key), _only_reading(second_key)
    assert first.term == second.term and first.term.name == "outer alignment"
    assert first.definition_id != second.definition_id
    assert not DefinitionEquivalence.objects.filter(
        first_id=min(first.definition_id, second.definition_id),
        second_id=max(first.definition_id, second.definition_id),
    ).exists()
    assert (first.votes_up, first.votes_down) == (3, 0)
    assert (second.votes_up, second.votes_down) == (3, 0)
    assert first.claim.comment_id in _ancestor_ids(second.claim.comment)


def test_decomposition_mismatch_between_a_comment_and_its_reply(output: str) -> None:
    first_key, second_key = plan.DECOMPOSITION_MISMATCH
    first, second = _only_reading(first_key), _only_reading(second_key)
    assert first.kind == second.kind == Reading.Kind.DECOMPOSITION
    assert (first.votes_up, first.votes_down) == (second.votes_up, second.votes_down) == (3, 0)
    assert _claim(second_key).comment.parent_id == _claim(first_key).comment_id

    def outer_sense(reading: Reading) -> Definition:
        return reading.decomposition.definitions.get(term__name="outer alignment")

    assert outer_sense(first) != outer_sense(second)


def test_contested_reading_is_split(output: str) -> None:
    reading = _only_reading(plan.CONTESTED_READING)
    assert (reading.votes_up, reading.votes_down) == (2, 2)
    assert reading.term.name == "inner alignment"


def test_ambiguous_usage_has_no_reading(output: str) -> None:
    claim = _claim(plan.AMBIGUOUS_USAGE)
    assert "outer alignment" in claim.quote.lower()
    assert not claim.readings.exists()
    # Two senses of the term are read elsewhere in the same thread.
    in_thread = Reading.objects.filter(
        claim__comment__thread=claim.comment.thread, term__name="outer alignment"
    )
    assert in_thread.values("definition").distinct().count() >= 2


def test_synonym_candidates(output: str) -> None:
    near, twin = (_definition(key) for key in plan.SYNONYM_CANDIDATE)
    assert near.term != twin.term
    assert SequenceMatcher(None, near.text, twin.text).ratio() > 0.9

    marked, other = (_definition(key) for key in plan.MARKED_SYNONYM)
    equivalence = DefinitionEquivalence.objects.get(
        first_id=min(marked.id, other.id), second_id=max(marked.id, other.id)
    )
    assert marked.term != other.term
    assert equivalence.marked_by.username == "rita"


def test_leaves_conflicts_to_the_detection_jobs(output: str) -> None:
    assert not Conflict.objects.exists()
    assert not ConflictReview.objects.exists()


def test_prints_the_demo_login_and_a_summary(output: str) -> None:
    assert "Demo login: demo / sensemap-demo (also alice, bob, rita; admin for /admin/)" in output
    assert "http://127.0.0.1:8000/" in output
    assert f"claims {len(plan.CLAIMS)}" in output
    assert f"readings {len(plan.READINGS)}" in output


def test_running_again_changes_no_row_count(output: str) -> None:
    before = _row_counts()
    tallies = list(Reading.objects.order_by("id").values_list("votes_up", "votes_down"))

    again = _load()

    assert _row_counts() == before
    assert list(Reading.objects.order_by("id").values_list("votes_up", "votes_down")) == tallies
    assert "Nothing new" in again
    assert "Demo login" in again


def test_keeps_a_password_someone_changed(output: str) -> None:
    alice = User.objects.get(username="alice")
    alice.set_password("her-own-password")
    alice.save()

    again = _load()

    alice.refresh_from_db()
    assert alice.check_password("her-own-password")
    assert "keep their own passwords: alice" in again
